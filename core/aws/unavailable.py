"""When DynamoDB (or another AWS service the request needs) cannot be reached: a 503, never a 500.

A request that needs a hot item answers 503 while the store is unreachable: the API with a JSON
body (``core.web.api_errors``), pages with the friendly ``templates/503.html``
(:class:`core.web.middleware.DataStoreUnavailableMiddleware`), both with ``Retry-After``. Sessions live
in DynamoDB too: a session that cannot be read is an anonymous visitor (core.aws.sessions), a login
that cannot save its session says so on the form (core.web.throttling), so pages and API operations
that need only the relational database keep working.

"Unreachable" is what a retry later can fix: no connection, a timeout, a dropped connection,
throttling or a 5xx from the service (named, like ``InternalServerError``, or only a status with an
empty body), whether botocore raised it or PynamoDB wrapped it. A missing
table or a refused request is a bug or a misconfiguration, and stays a 500.
"""

from __future__ import annotations

import logging
import sys
from typing import Any

from core.errors import RETRY_AFTER_SECONDS

logger = logging.getLogger(__name__)

MESSAGE = "A data store this service needs cannot be reached right now. Try again in a minute."
TRANSIENT_CODES = frozenset(
    {
        "ProvisionedThroughputExceededException",
        "ThrottlingException",
        "RequestLimitExceeded",
        "InternalServerError",
        "ServiceUnavailable",
    }
)


class DataStoreUnavailable(RuntimeError):
    """A store the request needs cannot be reached now (raised by core's own code, e.g. sessions;
    its message is for the log: the user is told ``MESSAGE``)."""


def is_unavailable(exc: BaseException | None) -> bool:
    """Whether ``exc`` (or what caused it) says the store is unreachable for now."""
    if "botocore" not in sys.modules and not isinstance(exc, DataStoreUnavailable):
        return False  # nothing has talked to AWS in this process (and boto stays unimported)
    from botocore.exceptions import ClientError, HTTPClientError
    from botocore.exceptions import ConnectionError as BotoConnectionError

    seen: set[int] = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        if isinstance(exc, DataStoreUnavailable | BotoConnectionError | HTTPClientError):
            return True
        if isinstance(exc, ClientError):
            if exc.response.get("Error", {}).get("Code") in TRANSIENT_CODES or _server_error(exc.response):
                return True
            if "ResponseMetadata" in exc.response:
                return False  # a refusal with its status: a bug or a misconfiguration
            # PynamoDB's VerboseClientError keeps only the error: its cause has the status.
        exc = getattr(exc, "cause", None) or exc.__cause__ or exc.__context__
    return False


def _server_error(response: dict[str, Any]) -> bool:
    """A 5xx, named or not (an empty or unparsable 5xx body leaves only the status, which botocore
    also writes as the code: "500", "502"...)."""
    status = response.get("ResponseMetadata", {}).get("HTTPStatusCode")
    code = str(response.get("Error", {}).get("Code", ""))
    return (isinstance(status, int) and status >= 500) or (code.isdigit() and int(code) >= 500)


def describe(exc: BaseException) -> str:
    cause = getattr(exc, "cause", None) or exc.__cause__
    return f"{type(exc).__name__}: {exc}" + (f" ({type(cause).__name__}: {cause})" if cause else "")


def wants_json(request: Any) -> bool:
    return request.path_info.startswith("/api/") or "application/json" in request.headers.get("Accept", "")


def unavailable_response(request: Any, exc: BaseException) -> Any:
    """The 503 for this request: JSON under /api/ (or when JSON is asked for), the page otherwise."""
    from django.http import HttpResponse, JsonResponse
    from django.shortcuts import render

    logger.warning("503 for %s %s: %s", request.method, request.path, describe(exc))
    response: HttpResponse
    if wants_json(request):
        response = JsonResponse({"detail": MESSAGE}, status=503)
    else:
        response = render(request, "503.html", {"message": MESSAGE}, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response
