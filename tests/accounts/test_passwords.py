"""Email on the account, password change, and password reset by email: through the laptop's outbox
(core.aws.mail.OutboxBackend, the page at /sandbox/core/outbox/), through SES (django-ses on the
emulator) where it runs on AWS, and throttled like logins."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from rest_framework.test import APIClient

from core.models import OutboxMessage
from tests.accounts.factories import persona_password

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("aws")]
User = get_user_model()
LINK = re.compile(r"http://testserver(/account/password/reset/[^/\s]+/[^/\s]+/)")


@pytest.fixture
def outbox(settings):
    settings.EMAIL_BACKEND = "core.aws.mail.OutboxBackend"


def test_signing_up_with_an_email_address_keeps_it(client):
    client.post(
        "/account/signup/",
        {
            "username": "carol",
            "email": "carol@example.com",
            "password1": "pizza-Night-42",
            "password2": "pizza-Night-42",
            "time_zone": "UTC",
        },
    )

    assert User.objects.get(username="carol").email == "carol@example.com"


def test_the_api_changes_the_email_address_and_refuses_one_that_is_not(alice):
    api = APIClient()
    api.force_authenticate(alice)

    assert api.patch("/api/me/", {"email": "a@example.org"}, format="json").json()["email"] == "a@example.org"
    assert api.patch("/api/me/", {"email": "not an address"}, format="json").status_code == 400
    assert api.patch("/api/me/", {"email": None}, format="json").json()["email"] is None
    alice.refresh_from_db()
    assert alice.email == ""


def test_a_forgotten_password_is_reset_from_the_email_in_the_outbox(alice, outbox):
    anonymous = Client()
    assert "Forgot your password?" in anonymous.get("/account/login/").text

    sent = anonymous.post("/account/password/reset/", {"email": "ALICE@example.com"}, follow=True)
    assert "Check your email" in sent.text

    mailbox = anonymous.get("/sandbox/core/outbox/", {"to": "alice@example.com"})
    assert "Reset your password on testserver" in mailbox.text
    (email,) = OutboxMessage.objects.filter(to="alice@example.com")
    link = LINK.search(email.body).group(1)
    form = anonymous.get(link, follow=True)
    assert "Choose a new password" in form.text
    done = anonymous.post(
        form.redirect_chain[-1][0],
        {"new_password1": "fresh-Start-2027", "new_password2": "fresh-Start-2027"},
        follow=True,
    )
    assert "Your new password is set." in done.text

    assert Client().login(username="alice", password="fresh-Start-2027")
    assert not Client().login(username="alice", password=persona_password("alice"))
    assert "This link does not work" in Client().get(link, follow=True).text  # it works once


def test_the_outbox_shows_an_address_only_its_own_emails(alice, bob, outbox):
    for user in (alice, bob):
        Client().post("/account/password/reset/", {"email": user.email})

    bobs = Client().get("/sandbox/core/outbox/", {"to": "bob@example.com"}).text
    assert "To:</strong> bob@example.com" in bobs
    assert "alice@example.com" not in bobs
    assert 'data-testid="outbox"' not in Client().get("/sandbox/core/outbox/").text


def test_password_reset_requests_are_throttled_per_address(alice, outbox, settings):
    settings.THROTTLE_RATES = {**settings.THROTTLE_RATES, "password_reset": "3/hour"}
    clients = [Client(REMOTE_ADDR=f"10.0.0.{n}") for n in range(5)]  # from different addresses
    answers = [c.post("/account/password/reset/", {"email": "alice@example.com"}) for c in clients]

    assert [a.status_code for a in answers] == [302, 302, 302, 429, 429]
    assert "Too many password resets asked for." in answers[3].text
    assert answers[3]["Retry-After"]
    assert OutboxMessage.objects.filter(to="alice@example.com").count() == 3


def test_password_reset_requests_are_throttled_per_client(alice, bob, outbox, settings):
    settings.THROTTLE_RATES = {**settings.THROTTLE_RATES, "password_reset": "2/hour"}
    client = Client()
    emails = ["alice@example.com", "bob@example.com", "carol@example.com"]
    codes = [client.post("/account/password/reset/", {"email": e}).status_code for e in emails]

    assert codes == [302, 302, 429]


def test_a_stage_without_a_sender_says_password_reset_is_not_set_up(alice, outbox, settings):
    settings.DEFAULT_FROM_EMAIL = None

    response = Client().post("/account/password/reset/", {"email": "alice@example.com"})

    assert response.status_code == 503
    assert "not set up here" in response.text
    assert not OutboxMessage.objects.exists()


def test_changing_the_password_needs_the_old_one(alice, alice_client):
    wrong = alice_client.post(
        "/account/password/change/",
        {"old_password": "guess", "new_password1": "next-Door-2027", "new_password2": "next-Door-2027"},
    )
    assert "Your old password was entered incorrectly." in wrong.text

    done = alice_client.post(
        "/account/password/change/",
        {
            "old_password": persona_password("alice"),
            "new_password1": "next-Door-2027",
            "new_password2": "next-Door-2027",
        },
        follow=True,
    )
    assert "Your password was changed." in done.text
    assert alice_client.get("/account/profile/").status_code == 200  # still signed in here
    assert Client().login(username="alice", password="next-Door-2027")


def test_on_aws_the_reset_email_goes_through_ses_from_the_configured_sender(alice, settings, moto_url):
    from core import aws

    settings.EMAIL_BACKEND = "django_ses.SESBackend"
    settings.AWS_SES_REGION_ENDPOINT_URL = moto_url
    settings.DEFAULT_FROM_EMAIL = "Routines <no-reply@example.net>"
    aws.client("ses").verify_email_identity(EmailAddress="no-reply@example.net")

    response = Client().post("/account/password/reset/", {"email": "alice@example.com"})

    assert response.status_code == 302
    from moto.core import DEFAULT_ACCOUNT_ID
    from moto.ses.models import ses_backends

    sent = ses_backends[DEFAULT_ACCOUNT_ID][settings.AWS_SES_REGION_NAME].sent_messages
    raw = sent[-1].raw_data if hasattr(sent[-1], "raw_data") else str(sent[-1].__dict__)
    assert "alice@example.com" in raw
    assert "/account/password/reset/" in raw
    assert not OutboxMessage.objects.exists()
