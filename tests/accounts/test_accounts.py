"""Accounts: sign-up with password rules, log in/out, the API token page, the time-zone profile."""

import pytest
from django.contrib.auth import get_user_model
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

pytestmark = pytest.mark.usefixtures("aws")


@pytest.mark.django_db
def test_signing_up_creates_the_account_logs_in_and_keeps_the_time_zone(client):
    response = client.post(
        "/account/signup/",
        {
            "username": "carol",
            "password1": "pizza-Night-42",
            "password2": "pizza-Night-42",
            "time_zone": "Asia/Tokyo",
        },
        follow=True,
    )

    assert response.status_code == 200
    assert "Welcome, carol!" in response.text
    assert 'data-testid="username">carol<' in response.text
    assert get_user_model().objects.get(username="carol").time_zone == "Asia/Tokyo"


@pytest.mark.django_db
def test_sign_up_with_a_weak_password_shows_the_rule_and_creates_nothing(client):
    response = client.post(
        "/account/signup/",
        {"username": "carol", "password1": "12345678", "password2": "12345678", "time_zone": "UTC"},
    )

    assert response.status_code == 200
    assert "This password is too common." in response.text
    assert not get_user_model().objects.filter(username="carol").exists()


@pytest.mark.django_db
def test_sign_up_with_an_unknown_time_zone_is_a_form_error(client):
    response = client.post(
        "/account/signup/",
        {
            "username": "carol",
            "password1": "pizza-Night-42",
            "password2": "pizza-Night-42",
            "time_zone": "Mars/Olympus",
        },
    )

    assert "Select a valid choice" in response.text
    assert not get_user_model().objects.filter(username="carol").exists()


def test_logging_out_ends_the_session(alice_client):
    assert 'data-testid="username">alice<' in alice_client.get("/").text

    alice_client.post("/account/logout/")

    assert "Log in" in alice_client.get("/").text
    assert alice_client.get("/account/token/").status_code == 302


def test_wrong_password_shows_an_error_on_the_login_page(client, alice):
    response = client.post("/account/login/", {"username": "alice", "password": "nope"})

    assert response.status_code == 200
    assert "Please enter a correct username and password" in response.text


def test_the_token_page_creates_a_token_that_authenticates_the_api(alice_client, alice):
    page = alice_client.get("/account/token/")
    assert "You have no API token yet" in page.text

    created = alice_client.post("/account/token/", follow=True)
    key = Token.objects.get(user=alice).key
    assert key in created.text
    assert "Your API token was created." in created.text
    assert "previous one" not in created.text  # there was none

    api = APIClient()
    assert api.get("/api/me/").status_code == 401
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert api.get("/api/me/").json() == {
        "username": "alice",
        "email": "alice@example.com",
        "time_zone": "Europe/Paris",
    }


def test_replacing_the_token_revokes_the_old_one(alice_client, alice):
    alice_client.post("/account/token/")
    old = Token.objects.get(user=alice).key

    replaced = alice_client.post("/account/token/", follow=True)

    assert "A new API token was created; the previous one no longer works." in replaced.text
    assert Token.objects.get(user=alice).key != old
    assert not Token.objects.filter(key=old).exists()


def test_profile_page_changes_the_time_zone_and_the_email_address(alice_client, alice):
    page = alice_client.get("/account/profile/")
    assert 'value="alice@example.com"' in page.text

    response = alice_client.post(
        "/account/profile/", {"email": "Alice@Example.ORG", "time_zone": "Australia/Sydney"}, follow=True
    )

    assert "Your profile was saved." in response.text
    alice.refresh_from_db()
    assert alice.time_zone == "Australia/Sydney"
    assert alice.email == "Alice@example.org"


@pytest.mark.django_db
def test_home_page_describes_every_app_without_javascript(client):
    from django.urls import reverse
    from django.utils.html import escape

    from core.contract.registry import product_apps

    page = client.get("/")

    assert page.status_code == 200
    cards = [config.home_card for config in product_apps() if config.home_card]
    assert "Routines" in [card.title for card in cards]
    for card in cards:
        assert f'<a href="{reverse(card.url_name)}">{escape(card.title)}</a>' in page.text
        assert escape(card.text) in page.text  # "Domino's" is Domino&#x27;s in the page
    assert "<script" not in page.text


@pytest.mark.django_db
def test_api_root_lists_endpoints_for_anonymous_visitors(client):
    response = client.get("/api/", HTTP_ACCEPT="application/json")

    assert response.status_code == 200
    assert {"me", "schema", "docs"} <= set(response.json())


def test_api_me_changes_the_time_zone_and_rejects_unknown_zones(api_alice):
    bad = api_alice.patch("/api/me/", {"time_zone": "Mars/Olympus"}, format="json")
    good = api_alice.patch("/api/me/", {"time_zone": "Asia/Tokyo"}, format="json")

    assert bad.status_code == 400
    assert "not a known time zone" in bad.json()["time_zone"][0]
    assert good.json()["time_zone"] == "Asia/Tokyo"


@pytest.mark.django_db
def test_schema_and_docs_are_served_with_local_assets(client):
    schema = client.get("/api/schema/")
    docs = client.get("/api/docs/")

    assert schema.status_code == 200
    assert b"openapi: 3" in schema.content
    assert docs.status_code == 200
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/" in docs.text
    assert "cdn" not in docs.text.lower()
    asset = client.get("/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js")
    assert asset.status_code == 200


@pytest.mark.django_db
def test_load_demo_prints_working_credentials_of_an_admin_twice_in_a_row(client):
    from io import StringIO

    from django.core.management import call_command

    for _ in range(2):
        out = StringIO()
        call_command("load_demo", "--password", "demo-Pass-1", stdout=out)
        assert "as demo / demo-Pass-1" in out.getvalue()

    assert client.login(username="demo", password="demo-Pass-1")
    assert client.get("/admin/").status_code == 200
    assert get_user_model().objects.filter(username="demo").count() == 1


@pytest.mark.parametrize("stage", ["dev", "prod"])
def test_load_demo_refuses_a_lambda_stage_and_leaves_an_existing_demo_user_alone(db, settings, stage):
    from django.core.management import CommandError, call_command

    from tests.accounts.factories import UserFactory

    existing = UserFactory(username="demo", password="their-own-Pass-1")
    settings.STAGE = stage

    with pytest.raises(CommandError, match="local and test stages only"):
        call_command("load_demo")

    existing.refresh_from_db()
    assert existing.check_password("their-own-Pass-1")
    assert not existing.check_password("demo-pass-2026")
    assert not existing.is_staff
    assert not existing.is_superuser


def test_a_failed_login_says_so_once(client, alice):
    response = client.post("/account/login/", {"username": "alice", "password": "wrong"})

    assert response.status_code == 200
    assert response.content.decode().count("Please enter a correct username and password") == 1
