"""The original's error body on its three endpoints: ``{"Code": "NotFoundError", "Message": "..."}``.

Every failure of ``/fetch-data/``, ``/view-data/`` and ``/status/`` answers it, with the status that
fits (the Chalice error names the original used): bad input 400, an unknown token 401, not found
404, a method they do not take 405, too many requests 429 (with Retry-After), SQS, DynamoDB or the
database unreachable 503. Anything unexpected is logged and answered 500 in the same shape
(``InternalServerError``, as Chalice's ``ChaliceViewError``): never a bare 500 page.
"""

from __future__ import annotations

import logging
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DatabaseError
from rest_framework import exceptions, status
from rest_framework.response import Response

from core.errors import DependencyUnavailable
from core.web.api_errors import exception_handler as product_exception_handler

logger = logging.getLogger(__name__)

CODES = {
    400: "BadRequestError",
    401: "UnauthorizedError",
    403: "ForbiddenError",
    404: "NotFoundError",
    405: "MethodNotAllowedError",
    406: "NotAcceptableError",
    413: "RequestEntityTooLargeError",
    415: "UnsupportedMediaType",
    429: "TooManyRequestsError",
    503: "ServiceUnavailableError",
}


def _sentence(detail: Any) -> str:
    if isinstance(detail, dict):
        return " ".join(_sentence(value) for value in detail.values())
    if isinstance(detail, list | tuple):
        return " ".join(_sentence(value) for value in detail)
    return str(detail)


def error_body(code: str, message: str) -> dict[str, str]:
    return {"Code": code, "Message": message}


def original_exception_handler(exc: Exception, context: dict[str, Any]) -> Response:
    # A limit reached (429) and a store out of reach (503) are core.web.api_errors' (core.errors).
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(" ".join(exc.messages))
    elif isinstance(exc, DatabaseError):
        logger.exception("The database failed under a countries endpoint")
        exc = DependencyUnavailable("The database cannot be reached right now; try again in a moment.")
    response = product_exception_handler(exc, context)
    if response is None:
        logger.exception("Unexpected error under a countries endpoint", exc_info=exc)
        return Response(
            error_body("InternalServerError", "Something failed on our side; try again in a moment."),
            status=status.HTTP_500_INTERNAL_SERVER_ERROR,
        )
    response.data = error_body(
        CODES.get(response.status_code, "BadRequestError"),
        _sentence(response.data.get("detail", response.data))
        if isinstance(response.data, dict)
        else _sentence(response.data),
    )
    return response
