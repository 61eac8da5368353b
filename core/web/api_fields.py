"""API fields shared by the apps."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from rest_framework import serializers

from core.clock import moment_text, user_zone


class MomentTextField(serializers.ReadOnlyField):
    """A moment as the pages show it ("7 Dec 2026, 13:18:47 EST", core.clock.MOMENT_FORMAT), in the
    zone of the user the API answers (token or session), so a page that redraws itself from the API
    shows the same words as the server-rendered page: no formatting in the browser's locale."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("help_text", "The same moment as the pages show it, in your account's time zone.")
        super().__init__(**kwargs)

    def to_representation(self, value: datetime | None) -> str:
        request = self.context.get("request")
        user = getattr(request, "user", None)
        zone = user_zone(user) if getattr(user, "is_authenticated", False) else None
        return moment_text(value, zone=zone)
