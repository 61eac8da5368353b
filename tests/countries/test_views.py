"""The pages: search, fetch, the card and the history."""

from __future__ import annotations

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.urls import reverse

from countries import services
from countries.models import FetchRequest

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_pages_need_a_login(aws):
    for url in (reverse("countries:index"), reverse("countries:country", args=["PY"])):
        response = Client().get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse(django_settings.LOGIN_URL))


def test_the_index_says_what_to_do_when_there_is_nothing_yet(alice_client):
    response = alice_client.get(reverse("countries:index"))

    assert response.status_code == 200
    assert "No fetches yet" in response.content.decode()


def test_searching_a_code_or_a_unique_name_goes_to_the_country(alice_client):
    for query in ("py", "PRY", "Paraguay"):
        response = alice_client.get(reverse("countries:index"), {"q": query})
        assert response.status_code == 302
        assert response["Location"] == reverse("countries:country", args=["PY"])


def test_a_search_with_several_matches_lists_them_with_a_fetch_button(alice_client):
    response = alice_client.get(reverse("countries:index"), {"q": "guinea"})

    text = response.content.decode()
    assert response.status_code == 200
    assert "Papua New Guinea" in text
    assert "Equatorial Guinea" in text
    assert reverse("countries:fetch", args=["GQ"]) in text


def test_a_search_that_matches_nothing_says_so_and_an_empty_one_is_a_form_error(alice_client):
    assert (
        "No country matches" in alice_client.get(reverse("countries:index"), {"q": "zzqq"}).content.decode()
    )
    response = alice_client.get(reverse("countries:index"), {"q": "   "})
    assert response.status_code == 400
    assert (
        "This field is required" in response.content.decode() or "Type a country" in response.content.decode()
    )


def test_an_unknown_country_page_is_a_404_and_a_lower_case_one_redirects(alice_client):
    assert alice_client.get(reverse("countries:country", args=["QQ"])).status_code == 404
    assert alice_client.get(reverse("countries:country", args=["py"]))["Location"] == reverse(
        "countries:country", args=["PY"]
    )


def test_fetch_queues_and_the_page_shows_it_in_flight_then_the_card(alice_client, alice, upstream):
    response = alice_client.post(reverse("countries:fetch", args=["PY"]), follow=True)

    text = response.content.decode()
    assert "Fetch of PY queued." in text
    assert "Paraguay is not stored yet: the fetch is on its way" in text
    assert 'http-equiv="refresh"' in text  # without JavaScript it reloads itself
    request = FetchRequest.objects.get(owner=alice)
    assert request.trigger == "web"

    services.fetch_request_process(request_id=request.pk)
    text = alice_client.get(reverse("countries:country", args=["PY"])).content.decode()

    assert 'data-testid="country-card"' in text
    for shown in (
        "Republic of Paraguay",
        "Asunción",
        "Americas",
        "6,109,644",  # population, with separators
        "Guaraní",
        "Spanish",
        "Paraguayan guaraní (₲)",
    ):
        assert shown in text
    assert 'src="/sandbox/countries/flags/py.svg"' in text  # the laptop's own copy: flagcdn.com is offline
    assert 'alt="The flag of Paraguay"' in text
    assert "https://www.openstreetmap.org/relation/287077" in text
    assert "Stored" in text
    assert 'http-equiv="refresh"' not in text


def test_outside_the_laptop_the_card_shows_the_documents_own_flag(alice_client, alice, upstream, settings):
    settings.COUNTRIES_LOCAL_FLAGS = False
    alice_client.post(reverse("countries:fetch", args=["PY"]))
    services.fetch_request_process(request_id=FetchRequest.objects.get(owner=alice).pk)

    text = alice_client.get(reverse("countries:country", args=["PY"])).content.decode()

    assert 'src="https://flagcdn.com/w320/py.png"' in text


def test_a_failed_fetch_shows_its_reason_in_the_history(alice_client, alice, upstream):
    request = services.fetch_request_create(code="FJ", owner=alice)
    services.fetch_request_process(request_id=request.pk)

    text = alice_client.get(reverse("countries:country", args=["FJ"])).content.decode()

    assert "REST Countries has no document for FJ" in text
    assert "Failed (404)" in text
    # The card says it was fetched and not found upstream, not that it was never fetched.
    assert "REST Countries has no Fiji: the last fetch was answered “404 Not Found”" in text
    assert "has not been fetched yet" not in text


def test_kosovo_can_be_fetched_as_rest_countries_serves_it(alice_client, alice, upstream):
    alice_client.post(reverse("countries:fetch", args=["XK"]))
    services.fetch_request_process(request_id=FetchRequest.objects.get(owner=alice, code="XK").pk)

    text = alice_client.get(reverse("countries:country", args=["xk"]), follow=True).content.decode()

    assert 'data-testid="country-card"' in text
    assert "Republic of Kosovo" in text


def test_fetching_a_code_too_often_is_a_429_page_with_the_reason(alice_client, aws, settings):
    settings.COUNTRIES_CODE_RATE = "1/min"
    alice_client.post(reverse("countries:fetch", args=["PY"]))

    response = alice_client.post(reverse("countries:fetch", args=["PY"]))

    assert response.status_code == 429
    assert "PY was requested too often" in response.content.decode()


def test_another_users_requests_are_not_listed(alice_client, bob, aws):
    services.fetch_request_create(code="PY", owner=bob)

    text = alice_client.get(reverse("countries:index")).content.decode()

    assert "No fetches yet" in text
