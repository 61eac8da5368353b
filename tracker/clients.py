"""The tracker's two upstreams, through ``core.http.UpstreamClient`` (timeouts, bounded retries).

* The Domino's GPS tracker: ``GET <tracker URL>`` with ``Authorization: Bearer ...``; the answer is
  JSON with ``"Status"``. One client (one pooled ``requests`` session) is shared by every poll of a
  run and by the runs of a warm Lambda; its pool is as large as the poll's worker pool.
* Twilio's REST API: ``POST /2010-04-01/Accounts/{AccountSid}/Messages.json`` with ``From``, ``To``,
  ``Body`` and HTTP basic auth, through ``requests`` as the original did. Not the Twilio SDK: it
  would add its own dependencies to the zip and its import to the poll's cold start (measured in
  bench/README.md); one form POST needs none of it. A POST is never retried (Twilio would send the
  text twice); whether a failure certainly sent nothing is on the exception.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any

from django.conf import settings

from core.http import UpstreamClient, UpstreamError
from tracker import order_stages

TRACKER = "The Domino's tracker"
TWILIO = "Twilio"


@dataclass(frozen=True)
class Poll:
    """What one poll of one order found: a stage code, or why it failed (``expired``: 401/403;
    ``unreadable``: KMS refused to decrypt the stored token)."""

    stage: str | None = None
    error: str = ""
    expired: bool = False
    unreadable: bool = False

    @property
    def ok(self) -> bool:
        return self.stage is not None


class LookupFailed(Exception):
    """Twilio could not say which texts it took (unreachable, refused, or an answer not understood)."""


class TextFailed(Exception):
    """Twilio did not take the text. ``certain``: nothing was sent (False after a timeout)."""

    def __init__(self, message: str, *, certain: bool) -> None:
        super().__init__(message)
        self.certain = certain


@cache
def _tracker_client(workers: int, timeout: float) -> UpstreamClient:
    return UpstreamClient(
        name=TRACKER,
        base_url=settings.DOMINOS_TRACKER_BASE_URL,
        timeout=timeout,
        retries=1,
        backoff=0.2,
        pool_size=workers,
        headers={"Accept": "application/json"},
    )


def tracker_client() -> UpstreamClient:
    return _tracker_client(settings.TRACKER_POLL_WORKERS, float(settings.TRACKER_TIMEOUT_SECONDS))


def stage_fetch(*, url: str, token: str) -> Poll:
    """Ask the tracker where the order is; never raises for anything the tracker answers."""
    try:
        answer: Any = tracker_client().get_json(url, headers={"Authorization": token})
    except UpstreamError as exc:
        if exc.status in (401, 403):
            return Poll(error=f"{TRACKER} refused the token ({exc.status}): it expired.", expired=True)
        return Poll(error=str(exc))
    if not isinstance(answer, dict) or "Status" not in answer:
        return Poll(error=f"{TRACKER} answered JSON without a Status.")
    code = answer["Status"]
    if not order_stages.code_ok(code):
        return Poll(error=f"{TRACKER} answered a Status that is not a stage code: {str(code)[:40]!r}.")
    return Poll(stage=code)


@cache
def _twilio_client(base_url: str) -> UpstreamClient:
    return UpstreamClient(name=TWILIO, base_url=base_url, retries=0)


def twilio_base_url() -> str:
    return settings.TWILIO_BASE_URL or f"{order_stages.sandbox_tracker_base()}/twilio"


def text_send(*, to: str, body: str) -> str:
    """Send one SMS; its Twilio message SID. TextFailed says why not."""
    import requests

    sid, secret, sender = settings.TWILIO_ACCOUNT_SID, settings.TWILIO_AUTH_TOKEN, settings.TWILIO_FROM_NUMBER
    if not (sid and secret and sender):
        raise TextFailed(
            "Texts are not configured: set TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN and TWILIO_FROM_NUMBER.",
            certain=True,
        )
    try:
        response = _twilio_client(twilio_base_url()).request(
            "POST",
            f"/2010-04-01/Accounts/{sid}/Messages.json",
            data={"From": sender, "To": to, "Body": body},
            auth=(sid, secret),
        )
        message_sid = response.json().get("sid")
    except UpstreamError as exc:
        cause = exc.__cause__
        unanswered = isinstance(cause, requests.exceptions.ReadTimeout) or (
            isinstance(cause, requests.exceptions.ConnectionError)
            and not isinstance(cause, requests.exceptions.ConnectTimeout)
            and "did not answer" in str(exc)
        )
        raise TextFailed(str(exc), certain=not unanswered) from exc
    except (ValueError, AttributeError) as exc:
        raise TextFailed(f"{TWILIO} accepted the text but its answer was not JSON.", certain=False) from exc
    if not isinstance(message_sid, str) or not message_sid:
        raise TextFailed(f"{TWILIO} accepted the text but named no message SID.", certain=False)
    return message_sid


def text_find(*, to: str, body: str, since: datetime) -> str | None:
    """The SID of a text Twilio took for ``to`` with exactly ``body`` since ``since``'s day, or None.

    Twilio's Messages list (``GET .../Messages.json`` filtered by ``To``, ``From`` and ``DateSent>``,
    newest first): what a send whose answer never came is checked against before it is sent again.
    LookupFailed says Twilio could not answer (then nobody knows, and nothing is sent again).
    """
    sid, secret, sender = settings.TWILIO_ACCOUNT_SID, settings.TWILIO_AUTH_TOKEN, settings.TWILIO_FROM_NUMBER
    if not (sid and secret and sender):
        raise LookupFailed("Texts are not configured, so Twilio cannot be asked.")
    params = {"To": to, "From": sender, "DateSent>": since.strftime("%Y-%m-%d"), "PageSize": 100}
    try:
        answer = _twilio_client(twilio_base_url()).get_json(
            f"/2010-04-01/Accounts/{sid}/Messages.json", params=params, auth=(sid, secret)
        )
    except UpstreamError as exc:
        raise LookupFailed(str(exc)) from exc
    messages = answer.get("messages") if isinstance(answer, dict) else None
    if not isinstance(messages, list):
        raise LookupFailed(f"{TWILIO} answered its message list in a shape not understood.")
    for message in messages:
        if isinstance(message, dict) and message.get("body") == body and isinstance(message.get("sid"), str):
            return message["sid"]
    return None
