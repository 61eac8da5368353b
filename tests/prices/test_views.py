from decimal import Decimal

import pytest
from django.conf import settings
from django.urls import reverse

from prices.models import Subscription
from tests.prices.factories import PriceReportFactory, weeks_back


@pytest.fixture
def year(db):
    for n in range(60):
        PriceReportFactory(
            week=weeks_back(n), region="new_york_state", price=Decimal("3.50") + n % 7 / Decimal(100)
        )
        PriceReportFactory(week=weeks_back(n), region="nassau", price=Decimal("3.40") + n % 5 / Decimal(100))


def test_the_prices_page_draws_the_last_52_weeks_of_the_state_and_a_region(alice_client, year):
    page = alice_client.get("/prices/", {"region": "nassau"})

    assert page.status_code == 200
    html = page.content.decode()
    assert html.count("<polyline") == 2
    state = html.split('data-region="new_york_state"')[0].rsplit('points="', 1)[1].split('"')[0]
    assert len(state.split()) == 52
    assert "Compare the state average with" in html
    assert 'data-testid="latest"' in html


def test_an_empty_history_says_so(alice_client):
    html = alice_client.get("/prices/").content.decode()

    assert "No prices stored yet" in html
    assert "No prices yet." in html


def test_an_unknown_region_is_a_form_error(alice_client, year):
    page = alice_client.get("/prices/", {"region": "atlantis"})

    assert page.status_code == 400
    assert "Select a valid choice" in page.content.decode()


def test_the_page_needs_a_login(client, db):
    page = client.get("/prices/")

    assert page.status_code == 302
    assert page["Location"].startswith(reverse(settings.LOGIN_URL))


def test_alice_subscribes_from_the_page_and_removes_it(alice_client, alice):
    done = alice_client.post(
        "/prices/subscriptions/",
        {"email": "alice@example.com", "regions": ["nassau", "albany"], "min_drop_cents": "5"},
        follow=True,
    )
    assert "alice@example.com is subscribed to 2 regions" in done.content.decode()
    subscription = Subscription.objects.get(owner=alice)

    alice_client.post(f"/prices/subscriptions/{subscription.pk}/delete/")
    assert not Subscription.objects.exists()


def test_a_bad_subscription_is_a_form_error(alice_client):
    page = alice_client.post("/prices/subscriptions/", {"email": "nope", "min_drop_cents": "0"})

    assert page.status_code == 400
    html = page.content.decode()
    assert "Enter a valid email address." in html
    assert "Choose at least one region." in html
    assert not Subscription.objects.exists()


def test_the_page_queries_stay_constant(alice_client, year, django_assert_max_num_queries):
    with django_assert_max_num_queries(12):
        alice_client.get("/prices/")


@pytest.mark.parametrize("model", ["pricereport", "pricefetch", "subscription", "pricedrop", "outboxemail"])
def test_the_admin_lists_every_prices_model_read_only(aws, alice, year, model):
    from django.test import Client

    alice.is_staff = alice.is_superuser = True
    alice.save()
    staff = Client()
    staff.force_login(alice)

    assert staff.get(f"/admin/prices/{model}/").status_code == 200
    assert staff.get(f"/admin/prices/{model}/add/").status_code == 403


def test_the_admin_names_the_fetch_runs_price_fetches(aws, alice):
    from django.test import Client

    alice.is_staff = alice.is_superuser = True
    alice.save()
    staff = Client()
    staff.force_login(alice)

    index = staff.get("/admin/").text
    assert "Price fetches" in index
    assert "Price fetchs" not in index
