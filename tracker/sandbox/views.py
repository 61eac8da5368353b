"""The tracker's stand-ins (local and test stages only, mounted at /sandbox/tracker/).

* ``api/GPSTracker/CartId/<digits>``: the Domino's GPS tracker. It wants ``Authorization: Bearer
  ...`` (401 otherwise) and answers ``{"Status": "<code>", ...}`` for a sandbox cart (carts.py: the
  cart id says when it was placed, how long it walks and whether it fails, hangs, answers 401,
  HTML or JSON without ``Status``); any other cart id is a 404. ``TRACKER_SANDBOX_DELAY_MS`` delays
  every answer (the benchmark's 100 ms).
* ``twilio/2010-04-01/Accounts/<sid>/Messages.json``: Twilio's Messages endpoint. Basic auth must
  be the configured account; ``To`` must be E.164 (Twilio's test number +15005550001 is refused as
  invalid, as Twilio refuses it); each accepted text is stored (``SandboxText``) and answered 201
  with a message SID. :func:`twilio_fail_next` makes the next sends answer 500. A GET lists the
  texts taken, newest first, filtered by ``To``, ``From`` and ``DateSent>`` as Twilio's list is.
* ``""``: a page that makes a sandbox order (a tracker URL and token to paste into /tracker/, or
  a form that posts them there with a phone: the token never travels in a URL),
  and ``outbox/``: the texts the Twilio stand-in received for the signed-in user's orders (staff:
  every text).
"""

from __future__ import annotations

import base64
import secrets
import threading
import time
from datetime import UTC, datetime

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET
from rest_framework.parsers import FormParser
from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer
from rest_framework.views import APIView

from core import clock
from tracker import order_stages, selectors
from tracker.models import SandboxText
from tracker.sandbox import carts

_failures = {"next": 0}
_lock = threading.Lock()


def twilio_fail_next(count: int = 1) -> None:
    """Make the Twilio stand-in's next ``count`` sends answer 500 (tests, and the sandbox page)."""
    with _lock:
        _failures["next"] = count


def _take_failure() -> bool:
    with _lock:
        if _failures["next"] > 0:
            _failures["next"] -= 1
            return True
    return False


def _delay() -> None:
    if settings.TRACKER_SANDBOX_DELAY_MS > 0:
        time.sleep(settings.TRACKER_SANDBOX_DELAY_MS / 1000)


@require_GET
def gps_tracker(request, cart_id: str):
    _delay()
    if not request.headers.get("Authorization", "").startswith("Bearer "):
        return JsonResponse({"Message": "Authorization has been denied for this request."}, status=401)
    cart = carts.cart_parse(cart_id)
    if cart is None:
        return JsonResponse({"Message": f"No order with CartId {cart_id}."}, status=404)
    if cart.mode == carts.FAILS:
        return JsonResponse({"Message": "An error has occurred."}, status=500)
    if cart.mode == carts.HANGS:
        time.sleep(settings.TRACKER_SANDBOX_HANG_SECONDS)
        return JsonResponse({"Message": "Too late."}, status=504)
    if cart.mode == carts.EXPIRES and cart.stage_index() > 0:
        return JsonResponse({"Message": "Authorization has been denied for this request."}, status=401)
    if cart.mode == carts.HTML:
        return HttpResponse("<html><body><h1>Session timed out</h1></body></html>", content_type="text/html")
    body = {
        "CartId": cart_id,
        "OrderPlaced": carts.placed_at(cart).isoformat(),
        "StoreName": "Sandbox Pizza, Jalan Contoh",
    }
    if cart.mode != carts.NO_STATUS:
        body["Status"] = cart.stage()
    return JsonResponse(body)


def _twilio_error(status: int, code: int, message: str) -> JsonResponse:
    return JsonResponse({"code": code, "message": message, "status": status}, status=status)


def _basic_auth(request) -> tuple[str, str] | None:
    kind, _, value = request.headers.get("Authorization", "").partition(" ")
    if kind.lower() != "basic":
        return None
    try:
        user, _, password = base64.b64decode(value).decode().partition(":")
    except (ValueError, UnicodeDecodeError):
        return None
    return user, password


class TwilioMessages(APIView):
    """Twilio's Messages endpoint. A DRF view with no authentication, permission or throttle classes
    of the product: the stand-in checks Twilio's basic auth itself, and the product's write throttle
    (which counts page writes per client IP) is not Twilio's."""

    authentication_classes: list = []
    permission_classes = [AllowAny]
    throttle_classes: list = []
    parser_classes = [FormParser]
    renderer_classes = [JSONRenderer]
    schema = None  # not part of the product's API

    def _authenticated(self, request, account_sid: str) -> bool:
        return _basic_auth(request) == (settings.TWILIO_ACCOUNT_SID, settings.TWILIO_AUTH_TOKEN) and (
            account_sid == settings.TWILIO_ACCOUNT_SID
        )

    def get(self, request, account_sid: str):
        """Twilio's message list, newest first: ``To``, ``From`` and ``DateSent>`` (a UTC day) filter it."""
        if not self._authenticated(request, account_sid):
            return _twilio_error(401, 20003, "Authenticate")
        texts = SandboxText.objects.filter(account_sid=account_sid).order_by("-received_at", "-id")
        if request.GET.get("To"):
            texts = texts.filter(to=request.GET["To"])
        if request.GET.get("From"):
            texts = texts.filter(from_number=request.GET["From"])
        if request.GET.get("DateSent>"):
            try:
                day = datetime.strptime(request.GET["DateSent>"], "%Y-%m-%d").replace(tzinfo=UTC)
            except ValueError:
                return _twilio_error(400, 20001, "DateSent> must be a date, YYYY-MM-DD.")
            texts = texts.filter(received_at__gte=day)
        asked = request.GET.get("PageSize", "50")
        size = max(1, min(int(asked) if asked.isdigit() else 50, 1000))
        return JsonResponse({"messages": [_message(text) for text in texts[:size]], "page_size": size})

    def post(self, request, account_sid: str):
        if not self._authenticated(request, account_sid):
            return _twilio_error(401, 20003, "Authenticate")
        to, sender, body = (str(request.data.get(name, "")) for name in ("To", "From", "Body"))
        if not order_stages.phone_ok(to) or to == "+15005550001":
            return _twilio_error(400, 21211, f"The 'To' number {to} is not a valid phone number.")
        if not body:
            return _twilio_error(400, 21602, "Message body is required.")
        if _take_failure():
            return _twilio_error(500, 20500, "Internal Server Error (the sandbox was told to fail).")
        text = SandboxText.objects.create(
            sid=f"SM{secrets.token_hex(16)}", account_sid=account_sid, to=to, from_number=sender, body=body
        )
        return JsonResponse(_message(text), status=201)


def _message(text: SandboxText) -> dict[str, str]:
    return {
        "sid": text.sid,
        "account_sid": text.account_sid,
        "to": text.to,
        "from": text.from_number,
        "body": text.body,
        "status": "queued",
        "date_created": text.received_at.strftime("%a, %d %b %Y %H:%M:%S +0000"),
        "uri": f"/2010-04-01/Accounts/{text.account_sid}/Messages/{text.sid}.json",
    }


twilio_messages = TwilioMessages.as_view()


@require_GET
def index(request):
    """Make a sandbox order: ?walk=<seconds>&mode=<digit> shows its tracker URL and token."""
    made = None
    error = ""
    if "walk" in request.GET:
        try:
            walk, mode = int(request.GET["walk"]), int(request.GET.get("mode", carts.NORMAL))
            cart = carts.cart_new(walk_seconds=walk, mode=mode)
        except ValueError:
            error = f"The walk is {carts.WALK_RANGE.start}-{carts.WALK_RANGE.stop - 1} seconds and the behaviour one of the list."
        else:
            url = request.build_absolute_uri(reverse("tracker-sandbox:gps", kwargs={"cart_id": cart.cart_id}))
            made = {"cart": cart, "url": url, "token": carts.token_new(), "mode": carts.MODES[cart.mode]}
    return render(
        request,
        "tracker/sandbox/index.html",
        {
            "made": made,
            "error": error,
            "modes": carts.MODES.items(),
            "walk": request.GET.get("walk", settings.TRACKER_SANDBOX_WALK_SECONDS),
            "stages": carts.WALK,
            "texted": order_stages.DEFAULT_TEXTED,
        },
        status=400 if error else 200,
    )


@login_required
@require_GET
def outbox(request):
    texts = selectors.sandbox_text_list(viewer=request.user)
    page = Paginator(texts, 50).get_page(request.GET.get("page"))
    return render(request, "tracker/sandbox/outbox.html", {"page": page, "now": clock.now()})
