"""Your stored countries (browse: region, sort, pages, stale marks, fetch again) and two side by side."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse

from core import clock
from countries import services
from countries.models import FetchRequest, StoredCountry

pytestmark = pytest.mark.django_db(transaction=True)

STORED = reverse("countries-stored-api")
COMPARE = reverse("countries-compare-api")


def store(owner, *codes: str) -> None:
    """Fetch each country for ``owner`` as the worker does, with the stand-in's document."""
    from countries.sandbox.data import document

    for code in codes:
        request = FetchRequest.objects.create(code=code, owner=owner, trigger=FetchRequest.Trigger.DEMO)
        assert services.fetch_request_process(request_id=request.pk, document=document(code)) == "stored"


def codes_of(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [country["code"] for country in response.json()["results"]]


# --- storing ------------------------------------------------------------------------------------


def test_storing_a_document_keeps_its_list_fields_in_the_database(alice, aws):
    store(alice, "BR")

    brazil = StoredCountry.objects.get(code="BR")
    assert (brazil.name, brazil.official_name) == ("Brazil", "Federative Republic of Brazil")
    assert (brazil.region, brazil.subregion) == ("Americas", "South America")
    assert brazil.population > 200_000_000
    assert clock.now() - brazil.fetched_at < timedelta(minutes=1)


def test_the_restore_gives_a_document_stored_before_the_list_fields_its_row(alice, aws):
    store(alice, "PY")
    StoredCountry.objects.all().delete()  # as a document stored before the rows existed

    services.country_documents_restore()

    assert StoredCountry.objects.get(code="PY").name == "Paraguay"
    assert not FetchRequest.objects.filter(trigger=FetchRequest.Trigger.RESTORE).exists()


# --- browsing (API) -----------------------------------------------------------------------------


def test_your_countries_are_those_your_own_fetches_stored(alice, bob, api_alice, api_bob, aws):
    store(alice, "PY", "BR")
    store(bob, "DE")
    FetchRequest.objects.create(code="JP", owner=alice, status=FetchRequest.Status.FAILED)
    FetchRequest.objects.create(code="JP", owner=bob, status=FetchRequest.Status.DONE)  # not yet listed

    assert codes_of(api_alice.get(STORED)) == ["BR", "PY"]
    assert codes_of(api_bob.get(STORED)) == ["DE"]


def test_they_filter_by_region_and_sort_by_name_or_population_both_ways(alice, api_alice, aws):
    store(alice, "PY", "BR", "CO", "DE", "JP")

    assert codes_of(api_alice.get(STORED, {"region": "Americas"})) == ["BR", "CO", "PY"]
    assert codes_of(api_alice.get(STORED, {"region": "Americas", "sort": "-population"})) == [
        "BR",
        "CO",
        "PY",
    ]
    assert codes_of(api_alice.get(STORED, {"region": "Americas", "sort": "population"})) == ["PY", "CO", "BR"]
    assert codes_of(api_alice.get(STORED, {"sort": "-name"})) == ["PY", "JP", "DE", "CO", "BR"]
    assert codes_of(api_alice.get(STORED, {"region": "Europe"})) == ["DE"]
    assert codes_of(api_alice.get(STORED, {"region": "Oceania"})) == []


def test_each_says_when_it_was_fetched_and_how_to_fetch_it_again(alice, api_alice, aws):
    store(alice, "PY")

    (paraguay,) = api_alice.get(STORED).json()["results"]

    assert paraguay["name"] == "Paraguay"
    assert paraguay["region"] == "Americas"
    assert paraguay["fetched_at"]
    assert (paraguay["stale"], paraguay["refetching"]) == (False, False)
    assert paraguay["refetch_url"].endswith("/fetch-data/PY/")
    assert paraguay["view_url"].endswith("/view-data/PY/")


def test_one_fetched_longer_ago_than_the_setting_is_stale(alice, api_alice, aws, settings):
    settings.COUNTRIES_STALE_AFTER_HOURS = 48
    store(alice, "PY", "BR")
    StoredCountry.objects.filter(code="PY").update(fetched_at=clock.now() - timedelta(hours=49))

    body = api_alice.get(STORED).json()

    assert body["stale_after_hours"] == 48
    assert {c["code"]: c["stale"] for c in body["results"]} == {"BR": False, "PY": True}


def test_they_come_in_pages_with_links_both_ways(alice, api_alice, aws):
    store(alice, "PY", "BR", "CO")

    first = api_alice.get(STORED, {"page_size": 2}).json()
    second = api_alice.get(first["next"]).json()

    assert (first["count"], first["pages"], first["page"], first["previous"]) == (3, 2, 1, None)
    assert [c["code"] for c in first["results"]] == ["BR", "CO"]
    assert [c["code"] for c in second["results"]] == ["PY"]
    assert (second["next"], api_alice.get(second["previous"]).json()["page"]) == (None, 1)


@pytest.mark.parametrize(
    ("query", "field", "words"),
    [
        ({"region": "Mars"}, "region", "Not a region: choose one of Africa, Americas"),
        ({"sort": "size"}, "sort", "Not a sort: choose one of name, -name, population, -population"),
        ({"page": "0"}, "page", "greater than or equal to 1"),
        ({"page": "two"}, "page", "Not a whole number"),
        ({"page": ""}, "page", "Not a whole number"),
        ({"page_size": "101"}, "page_size", "less than or equal to 100"),
        ({"page": "2"}, "page", "Page 2 is past the last page (1)."),
    ],
)
def test_a_bad_query_is_a_400_that_names_the_parameter(api_alice, aws, query, field, words):
    response = api_alice.get(STORED, query)

    assert response.status_code == 400
    assert words in " ".join(response.json()[field])


def test_the_list_needs_a_login(aws):
    from rest_framework.test import APIClient

    assert APIClient().get(STORED).status_code in (401, 403)
    assert APIClient().get(COMPARE, {"a": "PY", "b": "BR"}).status_code in (401, 403)


# --- browsing (page) ----------------------------------------------------------------------------


def test_the_page_filters_sorts_and_marks_the_stale_with_a_button_to_fetch_again(
    alice, alice_client, aws, settings
):
    settings.COUNTRIES_STALE_AFTER_HOURS = 24
    store(alice, "PY", "BR", "CO", "DE")
    StoredCountry.objects.filter(code="CO").update(fetched_at=clock.now() - timedelta(days=3))

    response = alice_client.get(reverse("countries:stored"), {"region": "Americas", "sort": "-population"})

    text = response.content.decode()
    assert response.status_code == 200
    assert text.index('data-code="BR"') < text.index('data-code="CO"') < text.index('data-code="PY"')
    assert 'data-code="DE"' not in text
    assert text.count('data-testid="stale"') == 1
    assert "3 in Americas" in text
    assert "more than\n  24 hours ago" in text


def test_fetching_a_stale_one_again_comes_back_to_the_list_where_it_is_on_its_way(alice, alice_client, aws):
    store(alice, "PY")
    here = reverse("countries:stored") + "?region=Americas&sort=name"

    response = alice_client.post(reverse("countries:fetch", args=["PY"]), {"next": here})

    assert response.status_code == 302
    assert response["Location"] == here
    assert FetchRequest.objects.filter(owner=alice, code="PY", status=FetchRequest.Status.QUEUED).exists()
    assert 'data-testid="refetching"' in alice_client.get(here).content.decode()


def test_fetching_again_never_goes_to_another_site(alice_client, aws):
    response = alice_client.post(reverse("countries:fetch", args=["PY"]), {"next": "https://evil.example/"})

    assert response["Location"] == reverse("countries:country", args=["PY"])


def test_the_page_says_so_when_there_is_nothing_and_refuses_a_bad_filter(alice, alice_client, aws):
    empty = alice_client.get(reverse("countries:stored"))
    bad = alice_client.get(reverse("countries:stored"), {"region": "Mars"})
    past = alice_client.get(reverse("countries:stored"), {"page": "3"})

    assert empty.status_code == 200
    assert "No stored countries yet" in empty.content.decode()
    assert bad.status_code == 400
    assert "Select a valid choice" in bad.content.decode()
    assert past.status_code == 400
    assert "Page 3 is past the last page (1)." in past.content.decode()


def test_the_pages_need_a_login(aws):
    for name in ("countries:stored", "countries:compare"):
        assert Client().get(reverse(name)).status_code == 302


@pytest.mark.parametrize("count", [2, 12])
def test_the_list_runs_the_same_queries_for_2_or_12_countries(
    alice, api_alice, alice_client, count, django_assert_max_num_queries
):
    from countries.sandbox.data import codes

    for code in codes()[:count]:
        FetchRequest.objects.create(code=code, owner=alice, status=FetchRequest.Status.DONE)
        FetchRequest.objects.create(code=code, owner=alice, status=FetchRequest.Status.QUEUED)
        StoredCountry.objects.create(code=code, name=code, region="Americas", fetched_at=clock.now())

    with django_assert_max_num_queries(2):  # count, page
        assert len(codes_of(api_alice.get(STORED, {"sort": "-population"}))) == count
    with django_assert_max_num_queries(6):  # session user, count, page, the compare form's choices
        assert alice_client.get(reverse("countries:stored")).status_code == 200


# --- compare ------------------------------------------------------------------------------------


def test_two_of_your_countries_side_by_side(alice, api_alice, aws):
    store(alice, "PY", "BR")

    response = api_alice.get(COMPARE, {"a": "py", "b": "BR"})

    assert response.status_code == 200
    paraguay, brazil = response.json()["countries"]
    assert (paraguay["code"], brazil["code"]) == ("PY", "BR")
    assert paraguay["landlocked"] is True
    assert brazil["landlocked"] is False
    assert paraguay["capital"] == "Asunción"
    assert "PRY" in brazil["borders"]
    rows = {row["label"]: row["values"] for row in response.json()["rows"]}
    assert rows["Region"] == ["Americas", "Americas"]
    assert rows["Landlocked"] == ["Yes", "No"]


@pytest.mark.parametrize(
    ("query", "field"),
    [({"a": "PY"}, "b"), ({"a": "PY", "b": "py"}, "b"), ({"a": "PY", "b": "ZZ"}, "b"), ({"b": "BR"}, "a")],
)
def test_compare_refuses_a_missing_bad_or_repeated_code(alice, api_alice, aws, query, field):
    store(alice, "PY", "BR")

    response = api_alice.get(COMPARE, query)

    assert response.status_code == 400
    assert field in response.json()


def test_a_country_that_is_not_yours_is_a_404_that_names_it(alice, bob, api_alice, aws):
    store(alice, "PY")
    store(bob, "DE")

    for other in ("DE", "JP"):  # bob's, and nobody's
        response = api_alice.get(COMPARE, {"a": "PY", "b": other})
        assert response.status_code == 404
        assert response.json()["detail"].startswith(f"{other} is not one of your stored countries")


def test_a_country_whose_document_is_gone_is_a_404_that_says_to_fetch_it_again(alice, api_alice, aws):
    from countries.dynamo import CountryItem

    store(alice, "PY", "BR")
    CountryItem.get("BR").delete()

    response = api_alice.get(COMPARE, {"a": "PY", "b": "BR"})

    assert response.status_code == 404
    assert "The stored document of BR is gone" in response.json()["detail"]


def test_the_compare_page_shows_both_or_says_which_is_not_yours(alice, bob, alice_client, aws):
    store(alice, "PY", "BR")
    store(bob, "DE")
    url = reverse("countries:compare")

    both = alice_client.get(url, {"a": "PY", "b": "BR"})
    not_mine = alice_client.get(url, {"a": "PY", "b": "DE"})
    same = alice_client.get(url, {"a": "PY", "b": "PY"})
    empty = alice_client.get(url)

    text = both.content.decode()
    assert both.status_code == 200
    assert "Republic of Paraguay" in text
    assert "Federative Republic of Brazil" in text
    assert not_mine.status_code == 404
    assert "DE is not one of your stored countries" in not_mine.content.decode()
    assert same.status_code == 400
    assert "Choose two different countries." in same.content.decode()
    assert empty.status_code == 200
    assert "Choose two of your stored countries" in empty.content.decode()


def test_posting_a_rows_refetch_url_queues_a_fetch_the_list_then_shows_in_flight(alice, api_alice, aws):
    store(alice, "PY")
    (paraguay,) = api_alice.get(STORED).json()["results"]

    assert api_alice.post(paraguay["refetch_url"]).status_code == 202

    (again,) = api_alice.get(STORED).json()["results"]
    assert again["refetching"] is True


def test_compare_is_a_503_while_dynamodb_cannot_be_read(alice, api_alice, alice_client, aws, monkeypatch):
    from countries import selectors

    store(alice, "PY", "BR")

    def unreachable(*, code):
        raise selectors.DocumentsUnavailable("The stored countries cannot be read right now.")

    monkeypatch.setattr(selectors, "country_document_get", unreachable)

    api = api_alice.get(COMPARE, {"a": "PY", "b": "BR"})
    page = alice_client.get(reverse("countries:compare"), {"a": "PY", "b": "BR"})

    assert api.status_code == 503
    assert api["Retry-After"]
    assert page.status_code == 503
    assert "cannot be read right now" in page.content.decode()
