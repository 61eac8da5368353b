"""The HTTP client every app uses for upstream APIs (Domino's, Twilio, NY Open Data, REST Countries, ...).

One ``requests.Session`` per upstream (connections are pooled and reused across calls, and across
invocations of a warm Lambda), an overall deadline on every call, and bounded retries with
exponential backoff by urllib3's ``Retry`` (a well-kept library, not a loop of our own):

* the deadline (``timeout``, default ``UPSTREAM_TIMEOUT_SECONDS``) covers the whole call:
  connecting, every retry and its backoff, and reading the whole body. requests' own timeouts are
  per socket operation (a page dripping a byte every 3 s never timed out; a hang was retried past
  the time the message named), so each connect and each read is given what is left of the
  deadline (urllib3's ``Timeout``, asked afresh for every attempt), a retry or a backoff that does
  not fit in it is not tried, and the body is read a piece at a time with the socket's timeout set
  to what is left. ``UpstreamError`` then says "did not answer within N s" with the true N;

* connection errors and read timeouts are retried (``retries`` times, backoff ``backoff`` x 2^n s,
  capped at ``backoff_max``);
* 429/500/502/503/504 answers are retried for idempotent methods only, honouring ``Retry-After``;
  a POST is retried only when ``idempotent=True`` says the upstream deduplicates it;
* whatever still fails raises :class:`UpstreamError`, whose message is a sentence a user can read
  ("REST Countries did not answer within 5 s.") and which carries the status code, if any.

``requests`` is imported on first use: web requests that never call an upstream do not pay for it.
"""

from __future__ import annotations

import threading
import time
import weakref
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.conf import settings

from core.aws.restore import on_restore

if TYPE_CHECKING:
    import requests

RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
BODY_CHUNK = 64 * 1024
MIN_WAIT = 0.001  # a socket timeout of 0 would make it non-blocking; this is "no time left"

# The deadline of the call running in this thread, for the Retry and Timeout below (a session and
# its adapter are shared by the threads of a process; each call runs in one thread).
_current = threading.local()


class Deadline:
    """The end of one upstream call: ``seconds`` from now (time.monotonic)."""

    def __init__(self, seconds: float) -> None:
        self.seconds = float(seconds)
        self.end = time.monotonic() + self.seconds

    def left(self) -> float:
        return self.end - time.monotonic()

    @property
    def passed(self) -> bool:
        return self.left() <= 0


def _deadline_timeout(connect: float, deadline: Deadline) -> Any:
    """A urllib3 ``Timeout`` whose connect and read timeouts are what is left of ``deadline`` (at
    most ``connect`` for connecting), asked for afresh by every attempt."""
    from urllib3.util.timeout import Timeout

    class DeadlineTimeout(Timeout):
        def clone(self) -> Timeout:
            return DeadlineTimeout(connect=self._connect, read=self._read)

        @property
        def connect_timeout(self) -> float:
            return max(MIN_WAIT, min(float(self._connect), deadline.left()))  # type: ignore[arg-type]

        @property
        def read_timeout(self) -> float:
            return max(MIN_WAIT, deadline.left())

    return DeadlineTimeout(connect=connect, read=deadline.seconds)


def _deadline_retry_class() -> type:
    from urllib3.exceptions import MaxRetryError, ResponseError
    from urllib3.util.retry import Retry

    class DeadlineRetry(Retry):
        """urllib3's Retry, except that a retry (with its backoff or Retry-After wait) that does not
        fit in what is left of the call's deadline is not tried."""

        def increment(self, method=None, url=None, response=None, error=None, _pool=None, _stacktrace=None):
            new = super().increment(method, url, response, error, _pool, _stacktrace)
            deadline: Deadline | None = getattr(_current, "deadline", None)
            if deadline is not None:
                wait = new.get_backoff_time()
                if response is not None and new.respect_retry_after_header:
                    wait = max(wait, new.get_retry_after(response) or 0)
                if deadline.left() <= wait + MIN_WAIT:
                    reason = error or ResponseError(f"no time left for a retry ({deadline.seconds:g} s)")
                    raise MaxRetryError(_pool, url or "", reason)
            return new

    return DeadlineRetry


class UpstreamError(Exception):
    """An upstream call failed after its retries; ``str(exc)`` is meant for the user."""

    def __init__(self, message: str, *, status: int | None = None, upstream: str = "") -> None:
        super().__init__(message)
        self.status = status
        self.upstream = upstream

    @property
    def is_client_error(self) -> bool:
        """The upstream refused the request itself (4xx): retrying it unchanged will not help."""
        return self.status is not None and 400 <= self.status < 500 and self.status != 429


_clients: weakref.WeakSet[UpstreamClient] = weakref.WeakSet()


@on_restore  # SnapStart: a restored copy opens its own connections, never the snapshot's
def close_all_sessions() -> None:
    """Close the pooled sessions of every upstream client of this process."""
    for upstream in list(_clients):
        upstream.close_sessions()


@dataclass(eq=False)  # hashed by identity: kept in a WeakSet
class UpstreamClient:
    """Calls to one upstream API: ``UpstreamClient(name="REST Countries", base_url=...)``."""

    name: str
    base_url: str
    timeout: float | None = None  # the call's deadline, seconds; default settings.UPSTREAM_TIMEOUT_SECONDS
    connect_timeout: float = 3.05
    retries: int = 2
    backoff: float = 0.3
    backoff_max: float = 5.0
    pool_size: int = 10
    headers: dict[str, str] = field(default_factory=dict)
    # One session for ordinary calls, one whose retries also cover POST (``idempotent=True``).
    _sessions: dict[bool, requests.Session] = field(default_factory=dict, init=False, repr=False)

    @property
    def deadline_seconds(self) -> float:
        return float(self.timeout if self.timeout is not None else settings.UPSTREAM_TIMEOUT_SECONDS)

    def deadline(self) -> Deadline:
        """A new deadline of this client's length, for several calls that share one (redirects)."""
        return Deadline(self.deadline_seconds)

    def __post_init__(self) -> None:
        _clients.add(self)

    def close_sessions(self) -> None:
        """Drop the pooled sessions (their connections); the next call builds new ones."""
        sessions, self._sessions = list(self._sessions.values()), {}
        for session in sessions:
            session.close()

    def session(self, *, retry_post: bool = False) -> requests.Session:
        if retry_post not in self._sessions:
            self._sessions[retry_post] = self._build_session(retry_post=retry_post)
        return self._sessions[retry_post]

    def _build_session(self, *, retry_post: bool) -> requests.Session:
        import requests
        from requests.adapters import HTTPAdapter

        retry = _deadline_retry_class()(
            total=self.retries,
            connect=self.retries,
            read=self.retries,
            status=self.retries,
            other=0,
            backoff_factor=self.backoff,
            backoff_max=self.backoff_max,
            status_forcelist=RETRY_STATUSES,
            allowed_methods=frozenset(
                {"GET", "HEAD", "OPTIONS", "PUT", "DELETE", *(["POST"] if retry_post else [])}
            ),
            respect_retry_after_header=True,
            raise_on_status=False,  # the last answer comes back; this module turns it into an error
        )
        session = requests.Session()
        adapter = HTTPAdapter(max_retries=retry, pool_connections=self.pool_size, pool_maxsize=self.pool_size)
        session.mount("http://", adapter)
        session.mount("https://", adapter)
        session.headers.update({"User-Agent": f"{settings.PROJECT_NAME}/1.0", **self.headers})
        return session

    def url(self, path: str) -> str:
        if path.startswith(("http://", "https://")):
            return path
        return f"{self.base_url.rstrip('/')}/{path.lstrip('/')}"

    def _late(self, deadline: Deadline) -> UpstreamError:
        return UpstreamError(f"{self.name} did not answer within {deadline.seconds:g} s.", upstream=self.name)

    def request(
        self,
        method: str,
        path: str,
        *,
        idempotent: bool | None = None,
        deadline: Deadline | None = None,
        stream: bool = False,
        **kwargs: Any,
    ) -> requests.Response:
        """Send one request (with retries) and read its body, all within the deadline; raise
        UpstreamError unless the answer is 2xx/3xx.

        ``idempotent=True`` lets a POST be retried on 429/5xx too (the upstream deduplicates it).
        ``deadline`` shares one deadline between calls (default: a new one of ``timeout`` s).
        ``stream=True`` leaves the body to :meth:`iter_body` (with the same deadline).
        """
        import requests

        deadline = deadline or self.deadline()
        if deadline.passed:
            raise self._late(deadline)
        kwargs["timeout"] = _deadline_timeout(self.connect_timeout, deadline)
        session = self.session(retry_post=bool(idempotent))
        _current.deadline = deadline
        try:
            response = session.request(method, self.url(path), stream=True, **kwargs)
        except requests.exceptions.Timeout as exc:
            raise self._late(deadline) from exc
        except requests.exceptions.ConnectionError as exc:
            if _timed_out(exc) or deadline.passed:  # a read timeout out of retries arrives wrapped so
                raise self._late(deadline) from exc
            raise UpstreamError(f"{self.name} could not be reached.", upstream=self.name) from exc
        except requests.exceptions.RequestException as exc:
            raise UpstreamError(f"The request to {self.name} failed: {exc}.", upstream=self.name) from exc
        finally:
            _current.deadline = None
        if not stream:
            try:
                body = b"".join(self.iter_body(response, deadline=deadline))
            finally:
                response.close()
            response._content = body  # what requests' .content/.json() read
            response._content_consumed = True
        if response.status_code >= 400:
            reason = response.reason or ""
            raise UpstreamError(
                f"{self.name} answered {response.status_code} {reason}".rstrip() + ".",
                status=response.status_code,
                upstream=self.name,
            )
        return response

    def iter_body(self, response: requests.Response, *, deadline: Deadline) -> Iterator[bytes]:
        """The body of a streamed response, a piece at a time as it arrives, within ``deadline``:
        before each piece the socket may wait only what is left of it (a body dripping a byte at
        a time is given up on at the deadline, not after a read timeout per byte)."""
        import requests
        from urllib3.exceptions import HTTPError as Urllib3Error

        raw = response.raw
        while True:
            left = deadline.left()
            if left <= 0:
                raise self._late(deadline)
            sock = getattr(raw.connection, "sock", None) if raw.connection is not None else None
            if sock is not None:
                sock.settimeout(max(MIN_WAIT, left))
            try:
                chunk = raw.read1(BODY_CHUNK, decode_content=True)
            except (TimeoutError, Urllib3Error, requests.exceptions.RequestException, OSError) as exc:
                if deadline.passed or "timed out" in str(exc).lower():
                    raise self._late(deadline) from exc
                raise UpstreamError(f"{self.name} broke off its answer.", upstream=self.name) from exc
            if not chunk:
                return
            yield chunk

    def get_json(self, path: str, **kwargs: Any) -> Any:
        """GET and decode JSON; an answer that is not JSON is an UpstreamError too."""
        response = self.request("GET", path, **kwargs)
        try:
            return response.json()
        except ValueError as exc:
            kind = response.headers.get("Content-Type", "unknown content").split(";")[0]
            raise UpstreamError(
                f"{self.name} answered with {kind}, not JSON.",
                status=response.status_code,
                upstream=self.name,
            ) from exc

    def close(self) -> None:
        for session in self._sessions.values():
            session.close()
        self._sessions.clear()


def _timed_out(exc: Exception) -> bool:
    from urllib3.exceptions import ReadTimeoutError

    reason = getattr(exc.args[0], "reason", None) if exc.args else None
    return isinstance(reason, ReadTimeoutError)
