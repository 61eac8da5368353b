"""What every app's viewsets share: querysets scoped to the caller, and error responses documented.

Scoping is a security rule (DESIGN.md house rule 3, cookiecutter-django's ``UserViewSet``): a
viewset that lists, retrieves or deletes somebody's objects takes :class:`OwnerScopedMixin` and
names its selector once, so a detail route can never reach another user's object (a 404). The
caller of a view is ``accounts.callers.caller(request)``.

Error bodies are ``{"detail": "..."}``, the ``Error`` component config/schema_hooks.py adds (with
Retry-After on 429 and 503): :func:`error_response` states what one status means for one operation.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from drf_spectacular.utils import OpenApiResponse

if TYPE_CHECKING:
    from django.db.models import Model, QuerySet


class OwnerScopedMixin:
    """``get_queryset`` is ``owned_list(owner=request.user)``; schema generation (no user) gets none.

    Set ``owned_model = <Model>`` and ``owned_list = staticmethod(selectors.<entity>_list)``."""

    owned_model: type[Model]
    owned_list: Callable[..., QuerySet[Any]]
    request: Any

    def get_queryset(self) -> QuerySet[Any]:
        if getattr(self, "swagger_fake_view", False):
            return self.owned_model._default_manager.none()
        return self.owned_list(owner=self.request.user)


ERROR_SCHEMA = {"$ref": "#/components/schemas/Error"}


def error_response(description: str) -> OpenApiResponse:
    """An error status of one operation: the shared ``Error`` body, with what it means here."""
    return OpenApiResponse(ERROR_SCHEMA, description=description)
