"""Throttles, counted in the cache every Lambda instance shares (``CACHES["throttle"]``, core/aws/cache.py).

* Logins, the form at /account/login/ and the browsable API's /api/auth/login/: every attempt
  counts, once for the client's IP and once for the username tried (scope ``login``); over the
  rate the form says so and answers 429, whatever the password (:class:`ThrottledLoginView`).
* Password-reset emails, the form at /account/password/reset/: each request counts for the client's
  IP and for the address typed (scope ``password_reset``); over the rate no email is sent and the
  form answers 429 (:class:`ThrottledPasswordResetView`).
* Every API write (POST, PUT, PATCH, DELETE), per user or, signed out, per client IP (scope
  ``write``): DRF's ``DEFAULT_THROTTLE_CLASSES`` = :class:`WriteThrottle`, a 429 with a JSON body.
* Every page write (a POST to a page view), with the same budget: :class:`PageWriteThrottleMiddleware`,
  a 429 page. So a new app's writes (which queue work, call upstreams, write DynamoDB) are held to it
  from the start.

Rates are ``THROTTLE_RATES`` (``"20/15min"``: a count per window of seconds, minutes, hours or
days). Fixed windows: one atomic increment per request (``cache.incr``, ``cache.add`` for the
first of a window), at the cost of allowing up to twice the rate across a window's edge.

The client is ``REMOTE_ADDR``, which the Lambda adapter takes from API Gateway's request context
(config/lambda_http.py); never X-Forwarded-For, which a client writes itself (DRF's own
``get_ident`` trusts it unless ``NUM_PROXIES`` is set).

When the shared cache fails (DynamoDB unreachable, a table missing), the throttle lets the request
through and logs one warning line: a throttle must never turn every request into a 500.
"""

from __future__ import annotations

import hashlib
import logging
import math
import time
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.contrib.auth.views import LoginView, PasswordResetView
from django.core.cache import caches
from django.core.exceptions import ValidationError
from django.shortcuts import render
from rest_framework.permissions import SAFE_METHODS
from rest_framework.throttling import BaseThrottle

from core.rates import rate_seconds

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Rate:
    count: int
    seconds: int


def parse_rate(text: str) -> Rate:
    """``"20/15min"`` -> Rate(20, 900); ``"120/min"`` -> Rate(120, 60)."""
    parsed = rate_seconds(text)
    if parsed is None:
        raise ValueError(f"{text!r} is not a rate such as 120/min or 20/15min.")
    return Rate(*parsed)


def rate_of(scope: str) -> Rate:
    return parse_rate(settings.THROTTLE_RATES[scope])


def client_ip(request: Any) -> str:
    return request.META.get("REMOTE_ADDR") or "unknown"


def hit(*, scope: str, ident: str, rate: Rate | None = None) -> int | None:
    """Count one request of ``ident`` in ``scope``: None when allowed, else seconds to wait.

    Fails open: when the shared cache cannot be reached the request is allowed (one log line).
    """
    rate = rate or rate_of(scope)
    now = time.time()
    window = int(now // rate.seconds)
    digest = hashlib.sha256(ident.encode()).hexdigest()[:32]
    key = f"throttle:{scope}:{digest}:{window}"
    try:
        cache = caches[settings.THROTTLE_CACHE]
        try:
            count = cache.incr(key)
        except ValueError:  # the window's first request (or its entry expired)
            count = 1 if cache.add(key, 1, timeout=rate.seconds + 1) else cache.incr(key)
    except Exception as exc:
        logger.warning(
            "Throttle %s not applied: the shared cache failed (%s: %s)", scope, type(exc).__name__, exc
        )
        return None
    if count <= rate.count:
        return None
    return max(1, math.ceil(rate.seconds - now % rate.seconds))


def _wait_text(seconds: int) -> str:
    if seconds < 90:
        return f"{seconds} seconds"
    return f"{math.ceil(seconds / 60)} minutes"


# --- API writes --------------------------------------------------------------------------------


class WriteThrottle(BaseThrottle):
    """DRF: every request that changes something, per user (signed out: per client IP)."""

    scope = "write"

    def allow_request(self, request: Any, view: Any) -> bool:
        if request.method in SAFE_METHODS:
            return True
        user = request.user
        ident = f"user:{user.pk}" if user and user.is_authenticated else f"ip:{client_ip(request)}"
        self.wait_seconds = hit(scope=self.scope, ident=ident)
        return self.wait_seconds is None

    def wait(self) -> float | None:
        return self.wait_seconds


# --- Page writes -------------------------------------------------------------------------------


class PageWriteThrottleMiddleware:
    """Pages: every POST (and other writes) to a page, per user or client IP, in scope ``write``.

    DRF views are left to DRF's throttle (it knows token users, which a middleware does not), and
    login views count their attempts themselves (below).
    """

    def __init__(self, get_response: Any) -> None:
        self.get_response = get_response

    def __call__(self, request: Any) -> Any:
        return self.get_response(request)

    def process_view(self, request: Any, view_func: Any, view_args: Any, view_kwargs: Any) -> Any:
        if request.method in SAFE_METHODS or self._counted_elsewhere(view_func):
            return None
        user = getattr(request, "user", None)
        ident = f"user:{user.pk}" if user and user.is_authenticated else f"ip:{client_ip(request)}"
        wait = hit(scope="write", ident=ident)
        if wait is None:
            return None
        response = render(request, "core/throttled.html", {"wait": _wait_text(wait)}, status=429)
        response["Retry-After"] = str(wait)
        return response

    @staticmethod
    def _counted_elsewhere(view_func: Any) -> bool:
        if getattr(view_func, "cls", None) is not None:  # a DRF view (APIView.as_view sets .cls)
            return True
        view_class = getattr(view_func, "view_class", None)
        return isinstance(view_class, type) and issubclass(
            view_class, (ThrottledLoginView, ThrottledPasswordResetView)
        )


def throttle_wait(*, scope: str, idents: list[str]) -> int | None:
    """Count one attempt of ``scope`` for each of ``idents`` (the client and what it names); the
    longest wait in seconds when any of them is past its rate, else None."""
    waits = [hit(scope=scope, ident=ident) for ident in idents]
    return max((w for w in waits if w is not None), default=None)


def throttled_error(message: str, wait: int) -> ValidationError:
    """A form's error for an attempt refused by a throttle: ``message`` with ``%(wait)s``."""
    return ValidationError(message, code="throttled", params={"wait": _wait_text(wait)})


# --- Logins ------------------------------------------------------------------------------------


class ThrottledAuthenticationForm(AuthenticationForm):
    """Django's login form, refusing (before any password is checked) once the client or the
    username has made too many attempts."""

    throttled_for: int | None = None

    def clean(self) -> dict[str, Any]:
        username = (self.data.get("username") or "").strip().lower()
        wait = throttle_wait(scope="login", idents=[f"ip:{client_ip(self.request)}", f"username:{username}"])
        if wait is not None:
            self.throttled_for = wait
            raise throttled_error("Too many login attempts. Try again in %(wait)s.", wait)
        return super().clean()


SIGN_IN_UNAVAILABLE = (
    "Signing in is unavailable right now: the session store cannot be reached. "
    "Your password was right; try again in a minute."
)


class ThrottledFormAnswers:
    """The answers of a page whose form a throttle guards: 429 with Retry-After when the form was
    refused by the throttle (its ``throttled_for``), and :meth:`refused` for a form error with another
    status (503 when a dependency is down)."""

    def form_invalid(self, form: Any) -> Any:
        response = super().form_invalid(form)  # type: ignore[misc]
        wait = getattr(form, "throttled_for", None)
        if wait is not None:
            response.status_code = 429
            response["Retry-After"] = str(wait)
        return response

    def refused(self, form: Any, message: str, *, status: int, retry_after: int | None = None) -> Any:
        form.add_error(None, message)
        response = self.form_invalid(form)
        response.status_code = status
        if retry_after is not None:
            response["Retry-After"] = str(retry_after)
        return response


class ThrottledLoginView(ThrottledFormAnswers, LoginView):
    """Django's LoginView with :class:`ThrottledAuthenticationForm`: 429 while throttled; 503 with
    the reason on the form when the session (in DynamoDB) cannot be saved."""

    authentication_form = ThrottledAuthenticationForm

    def form_valid(self, form: Any) -> Any:
        from core.aws.unavailable import RETRY_AFTER_SECONDS, DataStoreUnavailable

        try:
            return super().form_valid(form)
        except DataStoreUnavailable as exc:
            logger.warning("Login of %s refused: %s", form.get_user().get_username(), exc)
            return self.refused(form, SIGN_IN_UNAVAILABLE, status=503, retry_after=RETRY_AFTER_SECONDS)


# --- Password resets ---------------------------------------------------------------------------


class ThrottledPasswordResetForm(PasswordResetForm):
    """Django's password-reset form, refusing (before any email is looked up or sent) once the client
    or the address typed has asked too often (scope ``password_reset``): no mail bombing of an
    address, no probing of the users table."""

    throttled_for: int | None = None

    def __init__(self, *args: Any, request: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.request = request

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        email = (cleaned.get("email") or self.data.get("email") or "").strip().lower()
        wait = throttle_wait(
            scope="password_reset", idents=[f"ip:{client_ip(self.request)}", f"email:{email}"]
        )
        if wait is not None:
            self.throttled_for = wait
            raise throttled_error("Too many password resets asked for. Try again in %(wait)s.", wait)
        return cleaned


class ThrottledPasswordResetView(ThrottledFormAnswers, PasswordResetView):
    """Django's PasswordResetView with :class:`ThrottledPasswordResetForm`: 429 while throttled; a form
    error (503) when the email cannot be sent (no sender on this stage, SES refusing)."""

    form_class = ThrottledPasswordResetForm

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "request": self.request}

    def form_valid(self, form: Any) -> Any:
        if not settings.DEFAULT_FROM_EMAIL:
            return self.refused(
                form, "Password reset by email is not set up here (no EMAIL_SENDER).", status=503
            )
        try:
            return super().form_valid(form)
        except Exception as exc:  # SES (or the outbox) refused: say so instead of a 500
            logger.warning("Password reset email not sent: %s: %s", type(exc).__name__, exc)
            return self.refused(
                form, "The email could not be sent right now; try again in a few minutes.", status=503
            )
