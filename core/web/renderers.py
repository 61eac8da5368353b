"""The browsable API's page, as a person reads it (``REST_FRAMEWORK`` renderer and description settings).

* "Extra actions" lists only actions a link can open: DRF links every extra action of the view,
  so a POST-only one (e.g. ``routines/reorder/``) became a link that answers 405.
* View descriptions are the viewsets' docstrings, written with `code` spans for the schema's
  Markdown. DRF renders them as Markdown only when the ``markdown`` package is installed (it is
  not: ``rest_framework.compat`` would import it on every cold start), otherwise showing the raw
  backticks; here they become ``<code>`` and blank lines paragraphs, everything else escaped.
"""

from __future__ import annotations

import re
from typing import Any

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from rest_framework import renderers
from rest_framework.views import get_view_description

_CODE = re.compile(r"`([^`\n]+)`")


def view_description(view: Any, html: bool = False) -> str | SafeString:
    """DRF's description of ``view``; as HTML, with `code` spans and paragraphs."""
    text = get_view_description(view, html=False)
    if not html:
        return text
    paragraphs = [part.strip() for part in re.split(r"\n\s*\n", text) if part.strip()]
    return mark_safe(
        "".join("<p>" + _CODE.sub(r"<code>\1</code>", escape(part)) + "</p>" for part in paragraphs)
    )


class BrowsableAPIRenderer(renderers.BrowsableAPIRenderer):
    def get_extra_actions(self, view: Any, status_code: int) -> dict[str, str] | None:  # type: ignore[override]  # DRF 3.15+ passes status_code; the stubs are older
        actions = super().get_extra_actions(view, status_code)  # type: ignore[call-arg]
        if not actions:
            return actions
        readable = {
            view.__class__(**action.kwargs).get_view_name()
            for action in view.get_extra_actions()
            if "get" in action.mapping
        }
        return {name: url for name, url in actions.items() if name in readable}
