"""drf-spectacular, loaded only when the schema or the docs are served.

Importing ``drf_spectacular.openapi`` (its AutoSchema) and ``drf_spectacular.views`` costs ~50 ms
of every Lambda cold start (plumbing, generators, contrib extensions, yaml), and an API request
never needs them. Two things made them load at start-up:

* ``config/urls.py`` imported the schema/docs views: they are now :func:`lazy_view` wrappers that
  import them on the first request to /api/schema/ or /api/docs/.
* ``DEFAULT_SCHEMA_CLASS``: ``@extend_schema`` (routines/api.py, core/api.py) reads it at import
  time and builds ``ExtendedSchema(DEFAULT_SCHEMA_CLASS)`` subclasses from it, so it must be a real
  class when the API modules load, and those subclasses must end up inheriting drf-spectacular's
  AutoSchema. It is :class:`AutoSchema` below: a bare DRF ``ViewInspector`` until
  :func:`activate` re-bases it onto drf-spectacular's AutoSchema, which Python propagates to every
  subclass already built (``ExtendedSchema`` included). ``activate`` runs in :class:`SchemaGenerator`
  (``SPECTACULAR_SETTINGS["DEFAULT_GENERATOR_CLASS"]``), which every schema build goes through:
  the views, ``manage.py spectacular`` and drf-spectacular's deploy check.
"""

from __future__ import annotations

from typing import Any

from django.views.decorators.csrf import csrf_exempt
from rest_framework.schemas.inspectors import ViewInspector


class AutoSchema(ViewInspector):
    """drf-spectacular's AutoSchema once :func:`activate` ran; a plain ViewInspector before."""

    # Read by @extend_schema_view at import time (drf_spectacular.drainage.get_view_method_names);
    # the same mapping as drf-spectacular's AutoSchema.
    method_mapping = {
        "get": "retrieve",
        "post": "create",
        "put": "update",
        "patch": "partial_update",
        "delete": "destroy",
    }


def activate() -> None:
    """Make :class:`AutoSchema` (and every subclass) drf-spectacular's AutoSchema. Idempotent."""
    if AutoSchema.__bases__ == (ViewInspector,):
        from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema

        AutoSchema.__bases__ = (SpectacularAutoSchema,)


def lazy_view(name: str, **initkwargs: Any) -> Any:
    """``drf_spectacular.views.<name>.as_view(**initkwargs)``, imported on its first request."""
    view = None

    @csrf_exempt  # as DRF's APIView.as_view() is
    def dispatch(request, *args, **kwargs):
        nonlocal view
        if view is None:
            from drf_spectacular import views

            view = getattr(views, name).as_view(**initkwargs)
        return view(request, *args, **kwargs)

    dispatch.__name__ = dispatch.__qualname__ = name
    return dispatch
