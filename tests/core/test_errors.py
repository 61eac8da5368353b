"""One way to turn a domain error into a response (issue 22, item 1): an app's error subclasses
core.errors' LimitReached (429) or DependencyUnavailable (503 with Retry-After), and the API
(core.web.api_errors) and the pages (core.web.forms) answer it the same, with the service's message."""

import pytest
from django import forms
from django.core.exceptions import ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.test import APIRequestFactory
from rest_framework.views import APIView

from core.errors import DependencyUnavailable, LimitReached
from core.web.forms import service_error_message, show_service_error


class TooManyKettles(LimitReached):
    pass


class KettleShopClosed(DependencyUnavailable):
    pass


def _answer(error: Exception):
    class Raising(APIView):
        permission_classes = [AllowAny]
        authentication_classes: list = []

        def post(self, request):
            raise error

    return Raising.as_view()(APIRequestFactory().post("/api/kettles/", {}, format="json"))


def test_an_app_limit_is_a_429_with_the_services_message():
    response = _answer(TooManyKettles("You already boil 3 kettles at once."))

    assert response.status_code == 429
    assert response.data == {"detail": "You already boil 3 kettles at once."}
    assert "Retry-After" not in response  # no wait is known


def test_an_app_limit_that_knows_its_wait_says_it_in_retry_after():
    response = _answer(TooManyKettles("Too many kettles.", wait=12))

    assert response.status_code == 429
    assert response["Retry-After"] == "12"
    assert str(response.data["detail"]).startswith("Too many kettles.")


def test_an_unreachable_dependency_is_a_503_with_retry_after_and_the_services_words():
    try:
        raise ConnectionRefusedError("nothing listens")
    except ConnectionRefusedError as cause:
        error = KettleShopClosed("The kettle shop cannot be reached; try again in a moment.")
        error.__cause__ = cause

    response = _answer(error)

    assert response.status_code == 503
    assert response.data == {"detail": "The kettle shop cannot be reached; try again in a moment."}
    assert response["Retry-After"] == "30"


class KettleForm(forms.Form):
    name = forms.CharField()


@pytest.mark.parametrize(
    ("error", "status", "shown"),
    [
        (TooManyKettles("You already boil 3 kettles at once."), 429, "You already boil 3 kettles at once."),
        (KettleShopClosed("The kettle shop is closed."), 503, "The kettle shop is closed."),
        (ValidationError("No such kettle."), 400, "No such kettle."),
    ],
)
def test_a_page_shows_a_service_error_on_its_form_with_the_apis_status(error, status, shown):
    form = KettleForm({"name": "alice's kettle"})
    assert form.is_valid()

    assert show_service_error(form, error) == status
    assert form.non_field_errors() == [shown]
    assert service_error_message(error) == shown


def test_a_field_error_from_a_service_lands_on_its_field():
    form = KettleForm({"name": "bob's kettle"})
    assert form.is_valid()

    assert show_service_error(form, ValidationError({"name": "Taken."})) == 400
    assert form.errors == {"name": ["Taken."]}


def test_an_error_an_operation_describes_keeps_the_shared_body_and_retry_after(api_alice):
    post = api_alice.get("/api/schema/", {"format": "json"}).json()["paths"]["/api/orders/"]["post"]

    too_many = post["responses"]["429"]
    assert too_many["description"] == "You already track the most orders at once."
    assert too_many["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/Error"}
    assert "Retry-After" in too_many["headers"]
    assert "Retry-After" in post["responses"]["503"]["headers"]
