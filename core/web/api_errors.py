"""The project-wide DRF exception handler (``REST_FRAMEWORK["EXCEPTION_HANDLER"]``).

Services raise Django's own exceptions and know nothing of HTTP (HackSoft's styleguide): a
``ValidationError`` keyed by field becomes a 400 with field errors, a ``DoesNotExist`` a 404 with
the service's message (e.g. "This item is no longer part of the routine"), a body over
``DATA_UPLOAD_MAX_MEMORY_SIZE`` a JSON 413 (Django alone answers an HTML 400), DynamoDB out of
reach a JSON 503 with Retry-After (core.aws.unavailable), and the domain errors of core.errors: a
``LimitReached`` a 429, a ``DependencyUnavailable`` a 503 with Retry-After, each with the service's
message. Everything else is DRF's.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ObjectDoesNotExist, RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import exceptions, serializers
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from core.errors import DependencyUnavailable, LimitReached


class PayloadTooLarge(exceptions.APIException):
    status_code = 413
    default_detail = "The request body is larger than this API accepts."
    default_code = "payload_too_large"


class ServiceUnavailable(exceptions.APIException):
    status_code = 503
    default_code = "service_unavailable"


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    from core.aws.unavailable import MESSAGE, RETRY_AFTER_SECONDS, describe, is_unavailable, logger

    if isinstance(exc, DependencyUnavailable):  # the service's own words, whatever caused it
        response = drf_exception_handler(ServiceUnavailable(detail=str(exc)), context)
        if response is not None:
            response["Retry-After"] = str(exc.retry_after)
        return response
    if is_unavailable(exc):
        request = context.get("request")
        logger.warning(
            "503 for %s %s: %s", getattr(request, "method", "?"), getattr(request, "path", "?"), describe(exc)
        )
        response = drf_exception_handler(ServiceUnavailable(detail=MESSAGE), context)
        if response is not None:
            response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
    if isinstance(exc, LimitReached):
        exc = exceptions.Throttled(wait=exc.wait, detail=str(exc))
    elif isinstance(exc, RequestDataTooBig):  # Django's own answer would be an HTML 400
        from django.conf import settings

        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE or 0
        exc = PayloadTooLarge(detail=f"The request body is larger than {limit // 1024} KiB.")
    elif isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(detail=serializers.as_serializer_error(exc))
    elif isinstance(exc, ObjectDoesNotExist):
        exc = exceptions.NotFound(detail=str(exc) or "Not found.")
    return drf_exception_handler(exc, context)
