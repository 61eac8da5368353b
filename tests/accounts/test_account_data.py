"""Delete my account, export my data, and the registry gate behind both (core.contract.registry).

The deletion test builds everything of alice's every app declares for the ownership matrix
(tests/<app>/ownership.py: rows, DynamoDB items, SNS subscriptions, texts and emails in the outboxes,
each carrying ``SECRET``), signs her in, deletes her account and then reads every table of the
database and every DynamoDB table the apps declare, whole: nothing of hers may be left.
"""

from __future__ import annotations

import json

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.test import Client
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from core.apps import ProductAppConfig
from core.contract.registry import check_user_data_declarations, dynamo_models, product_apps
from tests.accounts.factories import persona_password
from tests.ownership import SECRET, declarations

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("aws")]
User = get_user_model()


def _everything_of(alice) -> dict:
    world = {}
    for ownership in declarations().values():
        world.update(ownership.build(alice))
    return world


def _bobs_routine(bob):
    from core import clock
    from routines.services import routine_create, routine_day_set

    routine = routine_create(owner=bob, name="Bob's evening", items=["Read"])
    routine_day_set(
        owner=bob, routine_id=routine.pk, day=clock.user_today(bob), item_ids=[routine.items.get().pk]
    )
    return routine


def _user_columns(model) -> list[str]:
    return [
        field.attname
        for field in model._meta.concrete_fields
        if field.is_relation and field.related_model is User
    ]


def _leftovers_in_database(alice_id: int) -> list[str]:
    found = []
    for model in apps.get_models(include_auto_created=True):
        columns = _user_columns(model)
        for row in model._default_manager.all().values():
            text = repr(row)
            if SECRET in text or any(row.get(column) == alice_id for column in columns):
                found.append(f"{model._meta.label}: {text[:200]}")
            if model is User and row["id"] == alice_id:
                found.append(f"the user row {alice_id}")
    return found


def _leftovers_in_dynamodb(alice_id: int, keys: set[str]) -> list[str]:
    found = []
    prefixes = (f"{alice_id}#",)
    for model in dynamo_models():
        for item in model.scan():  # a test may Scan: it reads the whole table on purpose
            values = item.attribute_values
            text = repr(values)
            hash_key = str(values.get(model._hash_keyname))
            if (
                SECRET in text
                or hash_key == str(alice_id)
                or hash_key.startswith(prefixes)
                or hash_key in keys
            ):
                found.append(f"{model.Meta.table_name}: {text[:200]}")
    return found


def _sns_subscriptions() -> str:
    from core import aws

    sns = aws.client("sns")
    found = []
    for page in sns.get_paginator("list_subscriptions").paginate():
        for subscription in page["Subscriptions"]:
            attributes = sns.get_subscription_attributes(SubscriptionArn=subscription["SubscriptionArn"])
            found.append(repr(subscription) + repr(attributes["Attributes"]))
    return "\n".join(found)


def test_deleting_an_account_leaves_nothing_of_the_user_in_any_store(alice, bob, settings):
    from core.aws.dynamo import SessionItem, UserSessionItem
    from routines.dynamo import RoutineDayItem

    settings.EMAIL_BACKEND = "core.aws.mail.OutboxBackend"
    world = _everything_of(alice)
    Client().post("/account/password/reset/", {"email": alice.email})  # a reset email in the outbox
    order_id = str(world["order"].pk)
    browser, elsewhere = Client(), Client()
    for client in (browser, elsewhere):  # signed in twice: both sessions must go
        assert client.login(username="alice", password=persona_password("alice"))
    sessions = [c.session.session_key for c in (browser, elsewhere)]
    bobs_routine = _bobs_routine(bob)
    bobs_browser = Client()
    bobs_browser.force_login(bob)
    assert SECRET in _sns_subscriptions()  # her price alerts' address is subscribed
    assert _leftovers_in_database(alice.pk)
    assert _leftovers_in_dynamodb(alice.pk, {order_id, *sessions})

    response = browser.post("/account/delete/", {"password": persona_password("alice")}, follow=True)

    assert response.status_code == 200
    assert "Your account and everything in it were deleted." in response.text
    assert _leftovers_in_database(alice.pk) == []
    assert _leftovers_in_dynamodb(alice.pk, {order_id, *sessions}) == []
    assert SECRET not in _sns_subscriptions()
    assert elsewhere.get("/account/profile/").status_code == 302  # signed out there too
    # Bob keeps everything of his.
    assert bobs_browser.get("/account/profile/").status_code == 200
    assert list(RoutineDayItem.query(RoutineDayItem.key(owner_id=bob.pk, routine_id=bobs_routine.pk)))
    assert UserSessionItem.count(str(bob.pk)) == 1
    assert SessionItem.count(bobs_browser.session.session_key) == 1


def test_a_wrong_password_deletes_nothing(alice, alice_client):
    world = _everything_of(alice)

    response = alice_client.post("/account/delete/", {"password": "not-her-password"})

    assert response.status_code == 400
    assert "That is not your password." in response.text
    alice.refresh_from_db()
    assert alice.is_active
    assert world["routine"].__class__.objects.filter(pk=world["routine"].pk).exists()
    assert alice_client.get("/account/profile/").status_code == 200


def test_the_api_deletes_the_account_with_its_password_and_the_token_stops_working(alice):
    from routines.models import Routine

    _everything_of(alice)
    key = Token.objects.get(user=alice).key
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")

    wrong = api.post("/api/me/delete/", {"password": "guess"}, format="json")
    assert wrong.status_code == 400
    assert wrong.json()["password"] == ["That is not your password."]
    assert (
        api.post("/api/me/delete/", {"password": persona_password("alice")}, format="json").status_code == 204
    )

    assert not User.objects.filter(pk=alice.pk).exists()
    assert not Routine.objects.filter(owner_id=alice.pk).exists()
    assert api.get("/api/me/").status_code == 401


def test_a_failing_deleter_keeps_the_account_usable_and_a_second_try_finishes(
    alice, alice_client, monkeypatch
):
    from routines.models import Routine

    _everything_of(alice)
    from scraper import user_data

    real = user_data.user_data_delete
    monkeypatch.setattr(user_data, "user_data_delete", lambda *, user: 1 / 0)

    with pytest.raises(ZeroDivisionError):
        alice_client.post("/account/delete/", {"password": persona_password("alice")})
    alice.refresh_from_db()
    assert alice.is_active  # switched on again: she can sign in and try again

    monkeypatch.setattr(user_data, "user_data_delete", real)
    retry = Client()
    assert retry.login(username="alice", password=persona_password("alice"))
    assert retry.post("/account/delete/", {"password": persona_password("alice")}).status_code == 302
    assert not User.objects.filter(pk=alice.pk).exists()
    assert not Routine.objects.filter(owner_id=alice.pk).exists()
    assert _leftovers_in_database(alice.pk) == []


def test_the_export_holds_everything_of_the_user_and_nothing_of_anybody_else(alice, bob, alice_client):
    world = _everything_of(alice)
    _bobs_routine(bob)

    response = alice_client.get("/account/export/")

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="alice-data-')
    data = json.loads(response.content)
    assert {config.label for config in product_apps()} <= set(data)
    assert data["accounts"]["email"] == alice.email
    (routine,) = data["routines"]["routines"]
    assert routine["name"] == f"Morning {SECRET}"
    assert routine["ticks"]
    orders = data["tracker"]["orders"]
    assert {order["id"] for order in orders} >= {world["order"].pk}
    (order,) = [order for order in orders if order["id"] == world["order"].pk]
    assert order["texts"][0]["body"] == SECRET
    assert "token" not in json.dumps(order).replace("has_token", "")
    assert data["prices"]["subscriptions"][0]["email"].startswith("alice-")
    assert {fetch["code"] for fetch in data["countries"]["fetches"]} == {"PY", "BR"}
    assert data["scraper"]["movies"][0]["primary_title"] == SECRET
    assert data["scraper"]["errors"]
    assert data["scraper"]["runs"][0]["id"] == world["scrape_run"].pk
    assert len(data["core"]["sessions"]) == 1
    assert "Bob's evening" not in response.text
    assert world["token"] not in response.text  # credentials are never exported

    api = APIClient()
    api.force_authenticate(alice)
    via_api = api.get("/api/me/export/")
    assert via_api.status_code == 200
    assert via_api.json()["routines"] == json.loads(json.dumps(data["routines"]))


def test_every_app_says_what_it_keeps_of_a_user():
    assert check_user_data_declarations() == []


class _Forgetful(ProductAppConfig):
    name = "tests.accounts"
    label = "forgetful"


class _KeepsNothing(ProductAppConfig):
    name = "tests.accounts"
    label = "keeps_nothing"
    holds_no_user_data = True


def test_an_app_that_declares_nothing_of_its_users_fails_the_check():
    import tests.accounts as module

    forgetful = _Forgetful("tests.accounts", module)
    keeps_nothing = _KeepsNothing("tests.accounts", module)

    (problem,) = check_user_data_declarations([forgetful, keeps_nothing])
    assert problem.startswith("forgetful: declares no account_exporter and no account_deleter")
