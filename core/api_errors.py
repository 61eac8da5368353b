"""The project-wide DRF exception handler (``REST_FRAMEWORK["EXCEPTION_HANDLER"]``).

Services raise Django's own exceptions and know nothing of HTTP (HackSoft's styleguide): a
``ValidationError`` keyed by field becomes a 400 with field errors, a ``DoesNotExist`` a 404 with
the service's message (e.g. "This item is no longer part of the routine"), a body over
``DATA_UPLOAD_MAX_MEMORY_SIZE`` a JSON 413 (Django alone answers an HTML 400). Everything else is DRF's.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ObjectDoesNotExist, RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import exceptions, serializers
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler


class PayloadTooLarge(exceptions.APIException):
    status_code = 413
    default_detail = "The request body is larger than this API accepts."
    default_code = "payload_too_large"


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, RequestDataTooBig):  # Django's own answer would be an HTML 400
        from django.conf import settings

        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE or 0
        exc = PayloadTooLarge(detail=f"The request body is larger than {limit // 1024} KiB.")
    elif isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(detail=serializers.as_serializer_error(exc))
    elif isinstance(exc, ObjectDoesNotExist):
        exc = exceptions.NotFound(detail=str(exc) or "Not found.")
    return drf_exception_handler(exc, context)
