from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from tests.accounts.factories import UserFactory
from tests.countries.factories import FetchAttemptFactory, FetchRequestFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_admin_lists_requests_with_their_attempts_read_only(aws):
    admin = UserFactory(username="root", is_staff=True, is_superuser=True)
    request = FetchRequestFactory(code="PY", failure="REST Countries answered 503.")
    FetchAttemptFactory(request=request, success=False, error="REST Countries answered 503.")
    client = Client()
    client.force_login(admin)

    listing = client.get(reverse("admin:countries_fetchrequest_changelist"))
    detail = client.get(reverse("admin:countries_fetchrequest_change", args=[request.pk]))

    assert listing.status_code == 200
    assert "PY" in listing.content.decode()
    assert detail.status_code == 200
    assert "REST Countries answered 503." in detail.content.decode()
    assert client.get(reverse("admin:countries_fetchrequest_add")).status_code == 403
    assert client.get(reverse("admin:countries_fetchattempt_changelist")).status_code == 200


@pytest.mark.parametrize("count", [2, 12])
def test_the_requests_api_and_the_pages_run_the_same_queries_for_2_or_12_requests(
    api_alice, alice_client, alice, count, django_assert_max_num_queries
):
    for _ in range(count):
        FetchAttemptFactory.create_batch(2, request=FetchRequestFactory(owner=alice, code="PY"))

    with django_assert_max_num_queries(3):  # count, page of requests, their attempts
        assert api_alice.get(reverse("country-fetch-list")).status_code == 200
    with django_assert_max_num_queries(6):  # session user, then the requests and attempts
        assert alice_client.get(reverse("countries:index")).status_code == 200
    with django_assert_max_num_queries(6):
        assert alice_client.get(reverse("countries:country", args=["PY"])).status_code == 200
