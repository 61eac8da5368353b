"""What the Domino's tracker says and what the user gives: stage codes, tracker URLs, phones, tokens.

Standard library and settings only: forms, serializers, services and the sandbox share these rules.

* Stage codes are the tracker's ``"Status"``: ``PC`` in progress, ``DL`` out for delivery, ``CP``
  completed (the original texted at DL and handled CP the same way). Any other code is kept verbatim
  and shown as it came.
* A tracker URL is exactly ``<DOMINOS_TRACKER_BASE_URL>/api/GPSTracker/CartId/<digits>``: an anchored
  pattern with the host's dots escaped (the original's server matched an unanchored pattern with
  unescaped dots, so ``https://api-dominos.com.my.evil.example/...CartId/1`` passed). On the laptop
  stages the sandbox stand-in's URLs (``<SANDBOX_BASE_URL>/tracker/api/GPSTracker/CartId/<digits>``)
  are accepted too; on Lambda only the real host is.
"""

from __future__ import annotations

import re

from django.conf import settings

IN_PROGRESS, OUT_FOR_DELIVERY, COMPLETED = "PC", "DL", "CP"
KNOWN = {IN_PROGRESS: "In progress", OUT_FOR_DELIVERY: "Out for delivery", COMPLETED: "Completed"}
# The stages a user can ask to be texted about, in the order an order reaches them.
TEXTABLE = [IN_PROGRESS, OUT_FOR_DELIVERY, COMPLETED]
DEFAULT_TEXTED = [OUT_FOR_DELIVERY, COMPLETED]
NO_STAGE_CHOSEN = "Choose at least one stage to be texted at."
# Tracking ends when the tracker says this.
FINAL = {COMPLETED}
# The ledger key of the one "your token expired" text (never a stage code: those are letters only).
TOKEN_EXPIRED = "token-expired"
# The ledger key of the one "your stored token could not be read" text (KMS refused to decrypt it).
TOKEN_UNREADABLE = "token-unreadable"
_TEXT_KEYS = {TOKEN_EXPIRED: "the expired token", TOKEN_UNREADABLE: "the unreadable token"}

CODE_MAX = 32
URL_MAX = 300
TOKEN_MAX = 4000
NAME_MAX = 60
CART_PATH = "/api/GPSTracker/CartId/"
PHONE = re.compile(r"\+[1-9][0-9]{7,14}")  # E.164: a plus, a country code, up to 15 digits in all
TOKEN = re.compile(r"Bearer [\x21-\x7e]+")  # "Bearer <text>": printable ASCII, no spaces or controls


def label(code: str) -> str:
    """A person's name for a stage: the known ones by name, any other code verbatim."""
    return KNOWN.get(code) or _TEXT_KEYS.get(code, code)


def _url_pattern(base: str) -> re.Pattern[str]:
    return re.compile(re.escape(base.rstrip("/") + CART_PATH) + r"(?P<cart>[0-9]{1,30})")


def tracker_url_bases() -> list[str]:
    """The bases a tracker URL may start with on this stage."""
    bases = [settings.DOMINOS_TRACKER_BASE_URL]
    if settings.ON_LAPTOP and settings.SANDBOX_BASE_URL:
        bases.append(sandbox_tracker_base())
    return bases


def sandbox_tracker_base() -> str:
    return f"{settings.SANDBOX_BASE_URL}/tracker"


def cart_id(url: str) -> str | None:
    """The cart id of an acceptable tracker URL, else None (the whole URL must match)."""
    if not isinstance(url, str) or len(url) > URL_MAX:
        return None
    for base in tracker_url_bases():
        found = _url_pattern(base).fullmatch(url)
        if found:
            return found.group("cart")
    return None


def url_help() -> str:
    return f"{settings.DOMINOS_TRACKER_BASE_URL.rstrip('/')}{CART_PATH}<digits>"


def phone_ok(phone: str) -> bool:
    return isinstance(phone, str) and PHONE.fullmatch(phone) is not None


def token_ok(token: str) -> bool:
    return isinstance(token, str) and len(token) <= TOKEN_MAX and TOKEN.fullmatch(token) is not None


def name_error(name: object) -> str:
    """Why an order's name is refused ("" if it is fine): text, at most ``NAME_MAX`` characters,
    nothing unprintable (no line breaks or control characters)."""
    if not isinstance(name, str):
        return "The name is text."
    if len(name.strip()) > NAME_MAX:
        return f"Keep the name to {NAME_MAX} characters."
    if not name.isprintable():
        return "The name cannot hold line breaks or control characters."
    return ""


def code_ok(code: str) -> bool:
    return isinstance(code, str) and 0 < len(code) <= CODE_MAX and code.isprintable() and code.strip() == code


def mask_phone(phone: str) -> str:
    """``+60123456789`` -> ``+60•••••6789`` (the admin and logs never need the whole number)."""
    return phone[:3] + "•" * max(0, len(phone) - 7) + phone[-4:] if len(phone) > 7 else phone
