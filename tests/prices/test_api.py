from datetime import date
from decimal import Decimal

import pytest

from prices.models import Subscription
from tests.prices.factories import MONDAY, PriceReportFactory, weeks_back


@pytest.fixture
def history(db):
    for n, (state, albany) in enumerate([("3.50", "3.40"), ("3.60", "3.55"), ("3.55", None)]):
        PriceReportFactory(week=weeks_back(n), region="new_york_state", price=Decimal(state))
        if albany:
            PriceReportFactory(week=weeks_back(n), region="albany", price=Decimal(albany))


def test_prices_are_listed_newest_first_and_filtered(api_alice, history):
    everything = api_alice.get("/api/prices/").json()
    assert everything["count"] == 5
    assert everything["results"][0] == {
        "week": MONDAY.isoformat(),
        "region": "albany",
        "region_label": "Albany",
        "price": "3.400",
    }

    albany = api_alice.get("/api/prices/", {"region": "albany", "start": weeks_back(1).isoformat()}).json()
    assert [(r["week"], r["price"]) for r in albany["results"]] == [
        (MONDAY.isoformat(), "3.400"),
        (weeks_back(1).isoformat(), "3.550"),
    ]
    assert api_alice.get("/api/prices/", {"end": weeks_back(2).isoformat()}).json()["count"] == 1


@pytest.mark.parametrize(
    "query",
    [{"region": "atlantis"}, {"start": "yesterday"}, {"start": "2026-11-23", "end": "2026-11-01"}],
)
def test_bad_filters_are_400_with_field_errors(api_alice, history, query):
    answer = api_alice.get("/api/prices/", query)

    assert answer.status_code == 400
    assert set(answer.json()) <= {"region", "start", "end"}


def test_the_latest_week_has_each_regions_change_from_its_previous_week(api_alice, history):
    latest = api_alice.get("/api/prices/latest/").json()

    assert latest["week"] == MONDAY.isoformat()
    by_region = {row["region"]: row for row in latest["results"]}
    assert by_region["albany"]["change"] == "-0.150"
    assert by_region["new_york_state"]["previous_price"] == "3.600"


def test_no_prices_yet_is_an_empty_latest_week(api_alice, db):
    assert api_alice.get("/api/prices/latest/").json() == {"week": None, "results": []}


def test_the_api_needs_a_login(client, db):
    assert client.get("/api/prices/").status_code in (401, 403)
    assert client.get("/api/price-subscriptions/").status_code in (401, 403)


def test_alice_subscribes_lists_and_removes_her_subscription(api_alice, aws):
    created = api_alice.post(
        "/api/price-subscriptions/",
        {"email": "alice@example.com", "regions": ["nassau"], "min_drop_cents": 3},
        format="json",
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert (body["email"], body["regions"], body["min_drop_cents"]) == ("alice@example.com", ["nassau"], 3)

    assert [s["id"] for s in api_alice.get("/api/price-subscriptions/").json()["results"]] == [body["id"]]
    assert api_alice.delete(f"/api/price-subscriptions/{body['id']}/").status_code == 204
    assert api_alice.get(f"/api/price-subscriptions/{body['id']}/").status_code == 404


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"email": "nope", "regions": ["nassau"]}, "email"),
        ({"email": 5, "regions": ["nassau"]}, "email"),
        ({"email": "a@example.com", "regions": ["atlantis"]}, "regions"),
        ({"email": "a@example.com", "regions": []}, "regions"),
        ({"email": "a@example.com", "regions": ["nassau"], "min_drop_cents": "5"}, "min_drop_cents"),
    ],
)
def test_bad_subscriptions_are_400(api_alice, aws, body, field):
    answer = api_alice.post("/api/price-subscriptions/", body, format="json")

    assert answer.status_code == 400
    assert field in answer.json()
    assert not Subscription.objects.exists()


def test_bob_never_sees_or_removes_alices_subscription(api_alice, api_bob, aws):
    created = api_alice.post(
        "/api/price-subscriptions/", {"email": "alice@example.com", "regions": ["nassau"]}, format="json"
    ).json()

    assert api_bob.get("/api/price-subscriptions/").json()["results"] == []
    assert api_bob.get(f"/api/price-subscriptions/{created['id']}/").status_code == 404
    assert api_bob.delete(f"/api/price-subscriptions/{created['id']}/").status_code == 404
    assert Subscription.objects.count() == 1


def test_the_list_queries_stay_constant(api_alice, db, django_assert_max_num_queries):
    for n in range(60):
        PriceReportFactory(week=weeks_back(n), region="albany", price=Decimal("3.10"))
    with django_assert_max_num_queries(4):
        api_alice.get("/api/prices/?region=albany")
    with django_assert_max_num_queries(4):
        api_alice.get("/api/prices/latest/")


def test_a_date_far_outside_the_data_is_fine(api_alice, db):
    answer = api_alice.get("/api/prices/", {"start": date(1900, 1, 1).isoformat(), "end": "9999-12-31"})
    assert answer.status_code == 200
