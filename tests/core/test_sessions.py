"""Sessions live in DynamoDB on the emulator and follow Django's session backend contract."""

from datetime import UTC, datetime, timedelta

import pytest
from django.contrib.sessions.backends.base import UpdateError
from django.utils import timezone

from core.aws.dynamo import SessionItem
from core.aws.sessions import SessionStore

pytestmark = pytest.mark.usefixtures("aws")


def test_a_saved_session_loads_back_with_its_data():
    session = SessionStore()
    session["cart"] = ["margherita", "diavola"]
    session.save()

    again = SessionStore(session.session_key)

    assert again["cart"] == ["margherita", "diavola"]
    assert SessionItem.get(session.session_key).expires_at > timezone.now()


def test_an_expired_session_is_empty_even_before_dynamodb_deletes_it():
    session = SessionStore()
    session["user"] = "alice"
    session.set_expiry(timedelta(seconds=-1))
    session.save()
    assert SessionItem.count(session.session_key) == 1  # the TTL has not removed it yet

    again = SessionStore(session.session_key)

    assert again.load() == {}
    assert again.session_key is None
    assert not SessionStore().exists(session.session_key)


def test_a_deleted_session_no_longer_exists():
    session = SessionStore()
    session["x"] = 1
    session.save()
    key = session.session_key

    session.delete()

    assert not SessionStore().exists(key)
    assert SessionStore(key).load() == {}


def test_alices_session_key_never_loads_bobs_data():
    alices = SessionStore()
    alices["who"] = "alice"
    alices.save()
    bobs = SessionStore()
    bobs["who"] = "bob"
    bobs.save()

    assert alices.session_key != bobs.session_key
    assert SessionStore(alices.session_key)["who"] == "alice"
    assert SessionStore(bobs.session_key)["who"] == "bob"


def test_an_unknown_or_forged_key_loads_an_empty_session():
    assert SessionStore("x" * 32).load() == {}
    assert SessionStore("not a key").load() == {}


def test_saving_a_session_deleted_meanwhile_raises_update_error():
    session = SessionStore()
    session["x"] = 1
    session.save()
    SessionStore().delete(session.session_key)

    session["x"] = 2
    with pytest.raises(UpdateError):
        session.save()


def test_create_never_reuses_an_existing_key():
    first = SessionStore()
    first.create()
    second = SessionStore()
    second.create()

    assert first.session_key != second.session_key
    assert SessionStore().exists(first.session_key)


def test_clear_expired_leaves_expiry_to_the_tables_ttl_and_never_scans(monkeypatch):
    from pynamodb.models import Model

    def no_scan(*args, **kwargs):
        raise AssertionError("clearsessions scanned the sessions table")

    monkeypatch.setattr(Model, "scan", no_scan)
    dead = SessionStore()
    dead["x"] = 1
    dead.set_expiry(timedelta(seconds=-5))
    dead.save()

    SessionStore.clear_expired()  # the backend contract's sweep: a no-op, TTL deletes

    assert not SessionStore().exists(dead.session_key)  # expired: refused on load until TTL deletes it
    assert SessionStore(dead.session_key).load() == {}


def test_logged_in_user_stays_logged_in_across_requests(client, alice):
    response = client.post("/account/login/", {"username": "alice", "password": "alice-Pass-2026!"})
    assert response.status_code == 302

    page = client.get("/")

    assert b'data-testid="username">alice<' in page.content
    assert SessionItem.count(client.cookies["sessionid"].value) == 1


def test_sessions_work_with_use_tz_off_and_expire_at_the_local_time_they_were_given(settings):
    settings.USE_TZ = False  # Django then hands out naive expiry dates, in TIME_ZONE
    settings.TIME_ZONE = "America/Los_Angeles"
    session = SessionStore()
    session["who"] = "bob"
    session.set_expiry(datetime(2030, 1, 15, 12, 0))  # noon in Los Angeles (UTC-8 in January)
    session.save()

    assert SessionItem.get(session.session_key).expires_at == datetime(2030, 1, 15, 20, 0, tzinfo=UTC)
    assert SessionStore(session.session_key)["who"] == "bob"

    session.set_expiry(timedelta(seconds=-1))
    session.save()
    assert SessionStore(session.session_key).load() == {}


def test_a_session_emptied_of_its_data_is_still_saved_under_its_key():
    # Django's SessionMiddlewareTests.test_empty_session_saved checks this through the database
    # engine's table (tests/contract/django_suite.py excludes it); here, through DynamoDB.
    session = SessionStore()
    session["cart"] = ["margherita"]
    session.save()
    key = session.session_key

    del session["cart"]
    session.save()

    assert session.session_key == key
    assert SessionStore().decode(SessionItem.get(key).data) == {}
