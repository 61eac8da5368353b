"""The HTTP client every app uses for upstream APIs (Domino's, Twilio, NY Open Data, REST Countries, ...).

One ``requests.Session`` per upstream (connections are pooled and reused across calls, and across
invocations of a warm Lambda), a connect and a read timeout on every call, and bounded retries
with exponential backoff by urllib3's ``Retry`` (a well-kept library, not a loop of our own):

* connection errors and read timeouts are retried (``retries`` times, backoff ``backoff`` x 2^n s,
  capped at ``backoff_max``);
* 429/500/502/503/504 answers are retried for idempotent methods only, honouring ``Retry-After``;
  a POST is retried only when ``idempotent=True`` says the upstream deduplicates it;
* whatever still fails raises :class:`UpstreamError`, whose message is a sentence a user can read
  ("REST Countries did not answer within 5 s.") and which carries the status code, if any.

``requests`` is imported on first use: web requests that never call an upstream do not pay for it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.conf import settings

if TYPE_CHECKING:
    import requests

RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})


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


@dataclass
class UpstreamClient:
    """Calls to one upstream API: ``UpstreamClient(name="REST Countries", base_url=...)``."""

    name: str
    base_url: str
    timeout: float | None = None  # read timeout, seconds; default settings.UPSTREAM_TIMEOUT_SECONDS
    connect_timeout: float = 3.05
    retries: int = 2
    backoff: float = 0.3
    backoff_max: float = 5.0
    pool_size: int = 10
    headers: dict[str, str] = field(default_factory=dict)
    # One session for ordinary calls, one whose retries also cover POST (``idempotent=True``).
    _sessions: dict[bool, requests.Session] = field(default_factory=dict, init=False, repr=False)

    @property
    def read_timeout(self) -> float:
        return float(self.timeout if self.timeout is not None else settings.UPSTREAM_TIMEOUT_SECONDS)

    def session(self, *, retry_post: bool = False) -> requests.Session:
        if retry_post not in self._sessions:
            self._sessions[retry_post] = self._build_session(retry_post=retry_post)
        return self._sessions[retry_post]

    def _build_session(self, *, retry_post: bool) -> requests.Session:
        import requests
        from requests.adapters import HTTPAdapter
        from urllib3.util.retry import Retry

        retry = Retry(
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

    def request(
        self, method: str, path: str, *, idempotent: bool | None = None, **kwargs: Any
    ) -> requests.Response:
        """Send one request (with retries); raise UpstreamError unless the answer is 2xx/3xx.

        ``idempotent=True`` lets a POST be retried on 429/5xx too (the upstream deduplicates it).
        """
        import requests

        kwargs.setdefault("timeout", (self.connect_timeout, self.read_timeout))
        session = self.session(retry_post=bool(idempotent))
        try:
            response = session.request(method, self.url(path), **kwargs)
        except requests.exceptions.Timeout as exc:
            raise UpstreamError(
                f"{self.name} did not answer within {self.read_timeout:g} s.", upstream=self.name
            ) from exc
        except requests.exceptions.ConnectionError as exc:
            if _timed_out(exc):  # a read timeout that exhausted its retries arrives wrapped like this
                raise UpstreamError(
                    f"{self.name} did not answer within {self.read_timeout:g} s.", upstream=self.name
                ) from exc
            raise UpstreamError(f"{self.name} could not be reached.", upstream=self.name) from exc
        except requests.exceptions.RequestException as exc:
            raise UpstreamError(f"The request to {self.name} failed: {exc}.", upstream=self.name) from exc
        if response.status_code >= 400:
            reason = response.reason or ""
            raise UpstreamError(
                f"{self.name} answered {response.status_code} {reason}".rstrip() + ".",
                status=response.status_code,
                upstream=self.name,
            )
        return response

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
