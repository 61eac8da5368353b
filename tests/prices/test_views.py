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


@pytest.fixture
def decade(db):
    """Ten years of the state average, and Nassau's last three (regions began later)."""
    for n in range(520):
        PriceReportFactory(
            week=weeks_back(n), region="new_york_state", price=Decimal("3.00") + n % 9 / Decimal(100)
        )
        if n < 156:
            PriceReportFactory(week=weeks_back(n), region="nassau", price=Decimal("3.20"))


def _points(html: str, region: str) -> int:
    return len(html.split(f'data-region="{region}"')[0].rsplit('points="', 1)[1].split('"')[0].split())


@pytest.mark.parametrize(
    ("chosen", "weeks", "heading"),
    [("1y", 52, "The last 52 weeks"), ("5y", 260, "The last 5 years"), ("all", 520, "Every week stored")],
)
def test_the_chart_shows_one_five_or_every_year_with_its_span_and_age(
    alice_client, decade, chosen, weeks, heading
):
    html = alice_client.get("/prices/", {"region": "nassau", "range": chosen}).content.decode()

    assert heading in html
    assert _points(html, "new_york_state") == weeks
    assert _points(html, "nassau") == min(weeks, 156)
    span = html.split('data-testid="chart-span">')[1].split("</p>")[0]
    assert span.startswith(f"{weeks} weeks, ")
    assert "to 23 Nov 2026: the newest is" in span
    assert ("Nassau's prices begin on" in span) == (weeks > 156)
    assert f'range={chosen}" aria-current="page"' in html
    assert f'<input type="hidden" name="range" value="{chosen}">' in html  # the region form keeps it


def test_long_ranges_label_years_not_quarters(alice_client, decade):
    html = alice_client.get("/prices/", {"range": "all"}).content.decode()
    labels = [part.split("<")[0] for part in html.split('text-anchor="middle">')[1:]]

    assert labels
    assert all(label.isdigit() for label in labels)
    assert len(labels) <= 10


def test_the_range_is_a_link_without_javascript_and_an_unknown_one_is_a_form_error(alice_client, decade):
    html = alice_client.get("/prices/", {"region": "nassau"}).content.decode()
    assert '<a href="?region=nassau&amp;range=all">All</a>' in html

    page = alice_client.get("/prices/", {"range": "forever"})
    assert page.status_code == 400
    assert "Select a valid choice" in page.content.decode()


def test_every_range_has_the_same_queries(alice_client, decade, django_assert_max_num_queries):
    for chosen in ("1y", "5y", "all"):
        with django_assert_max_num_queries(12):
            alice_client.get("/prices/", {"range": chosen, "region": "nassau"})
