"""The tracker and Twilio clients against the sandbox stand-ins, over real HTTP."""

import base64

import pytest

from tracker import clients
from tracker.models import SandboxText
from tracker.sandbox import carts
from tracker.sandbox.views import twilio_fail_next

TOKEN = "Bearer sandbox.test"


def test_the_tracker_answers_the_stage_of_a_sandbox_order(place):
    poll = clients.stage_fetch(url=place(), token=TOKEN)

    assert poll.ok
    assert poll.stage == "PC"


def test_the_stage_advances_with_the_time_walked(place, clock):
    from datetime import timedelta

    from core import clock as product_clock

    url = place(walk=30)
    now = product_clock.now()
    clock.set(now + timedelta(seconds=21))
    assert clients.stage_fetch(url=url, token=TOKEN).stage == "DL"
    clock.set(now + timedelta(seconds=31))
    assert clients.stage_fetch(url=url, token=TOKEN).stage == "CP"


@pytest.mark.parametrize(
    ("mode", "reason"),
    [
        (carts.FAILS, "answered 500"),
        (carts.HTML, "answered with text/html, not JSON"),
        (carts.NO_STATUS, "answered JSON without a Status"),
        (carts.HANGS, "did not answer within 1 s"),
    ],
)
def test_a_bad_answer_is_a_failed_poll_with_its_reason(place, mode, reason):
    poll = clients.stage_fetch(url=place(mode=mode), token=TOKEN)

    assert not poll.ok
    assert not poll.expired
    assert reason in poll.error


def test_a_401_means_the_token_expired(place, clock):
    from datetime import timedelta

    from core import clock as product_clock

    url = place(mode=carts.EXPIRES, walk=30)
    assert clients.stage_fetch(url=url, token=TOKEN).stage == "PC"
    clock.set(product_clock.now() + timedelta(seconds=11))

    poll = clients.stage_fetch(url=url, token=TOKEN)

    assert poll.expired
    assert "refused the token (401)" in poll.error


def test_an_unknown_cart_is_a_failed_poll(sandbox):
    poll = clients.stage_fetch(url=f"{sandbox}/api/GPSTracker/CartId/42", token=TOKEN)

    assert not poll.ok
    assert "404" in poll.error


def test_a_text_goes_to_twilio_with_basic_auth_and_comes_back_with_its_sid(sandbox, settings, db):
    sid = clients.text_send(to="+60123456789", body="Domino's order 1: Out for delivery (DL).")

    text = SandboxText.objects.get()
    assert text.sid == sid
    assert sid.startswith("SM")
    assert (text.to, text.from_number, text.account_sid) == (
        "+60123456789",
        settings.TWILIO_FROM_NUMBER,
        settings.TWILIO_ACCOUNT_SID,
    )
    assert text.body == "Domino's order 1: Out for delivery (DL)."


def test_the_twilio_stand_in_wants_the_account_credentials(sandbox, settings, db):
    import requests

    url = f"{sandbox}/twilio/2010-04-01/Accounts/{settings.TWILIO_ACCOUNT_SID}/Messages.json"
    wrong = base64.b64encode(f"{settings.TWILIO_ACCOUNT_SID}:nope".encode()).decode()
    answer = requests.post(
        url,
        data={"To": "+60123456789", "From": "+1", "Body": "x"},
        headers={"Authorization": f"Basic {wrong}"},
        timeout=5,
    )

    assert answer.status_code == 401
    assert answer.json()["code"] == 20003
    assert not SandboxText.objects.exists()


def test_a_refused_text_certainly_sent_nothing(sandbox, db):
    with pytest.raises(clients.TextFailed) as refused:
        clients.text_send(to="+15005550001", body="x")
    assert refused.value.certain
    assert "400" in str(refused.value)

    twilio_fail_next(1)
    with pytest.raises(clients.TextFailed) as failed:
        clients.text_send(to="+60123456789", body="x")
    assert failed.value.certain
    assert "500" in str(failed.value)
    assert not SandboxText.objects.exists()


def test_texts_without_twilio_settings_fail_with_what_to_set(settings):
    settings.TWILIO_AUTH_TOKEN = None

    with pytest.raises(clients.TextFailed, match="set TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN"):
        clients.text_send(to="+60123456789", body="x")


def test_a_text_whose_answer_never_came_is_not_certain(settings):
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    class Slow(BaseHTTPRequestHandler):
        def do_POST(self):
            threading.Event().wait(3)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Slow)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    settings.TWILIO_BASE_URL = f"http://127.0.0.1:{server.server_address[1]}"
    settings.UPSTREAM_TIMEOUT_SECONDS = 1
    clients._twilio_client.cache_clear()
    try:
        with pytest.raises(clients.TextFailed) as unanswered:
            clients.text_send(to="+60123456789", body="x")
    finally:
        server.shutdown()
        clients._twilio_client.cache_clear()
    assert not unanswered.value.certain
