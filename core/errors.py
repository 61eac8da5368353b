"""Domain errors every app's services raise, and the one place each becomes a response.

A service knows nothing of HTTP (HackSoft's ``ApplicationError``, Zulip's ``JsonableError``): it
raises Django's ``ValidationError`` for refused input, ``DoesNotExist`` for somebody else's object,
or a subclass of one of the two classes below. ``core.web.api_errors`` turns them into API responses
and ``core.web.forms.service_error_status`` into a form error and a page status, so no view maps them
by hand:

* :class:`LimitReached` -> 429 (``Retry-After`` when the service knows the wait).
* :class:`DependencyUnavailable` -> 503 with ``Retry-After``: a store, queue or key service the
  operation needs cannot be reached now; ``str(exc)`` says so to the user.
"""

from __future__ import annotations

RETRY_AFTER_SECONDS = 30


class LimitReached(Exception):
    """The caller already has the most of something at once (a 429); ``wait`` seconds if known."""

    status_code = 429

    def __init__(self, message: str, *, wait: int | None = None) -> None:
        super().__init__(message)
        self.wait = wait


class DependencyUnavailable(Exception):
    """Something the operation needs cannot be reached now (a 503 with Retry-After)."""

    status_code = 503
    retry_after = RETRY_AFTER_SECONDS
