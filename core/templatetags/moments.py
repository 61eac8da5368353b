"""``{{ value|moment }}``: a moment in the reader's zone, in the product's one format (core.clock)."""

from __future__ import annotations

from datetime import datetime

from django import template

from core.clock import moment_text

register = template.Library()


@register.filter
def moment(value: datetime | None) -> str:
    return moment_text(value)
