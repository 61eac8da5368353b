"""The product's own user model: Django's user plus the time zone a person's days start in.

A custom model from the first migration (as cookiecutter-django does): four apps hold foreign keys
to the user, and swapping ``AUTH_USER_MODEL`` once they do is a painful migration.
"""

from __future__ import annotations

import zoneinfo

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models


def validate_time_zone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(f"{value!r} is not a known time zone (e.g. Europe/Paris).")


def default_time_zone() -> str:
    return settings.DEFAULT_USER_TIME_ZONE


class User(AbstractUser):
    """A person using the product; ``time_zone`` decides when their "today" starts."""

    time_zone = models.CharField(
        max_length=64,
        default=default_time_zone,
        validators=[validate_time_zone],
        help_text="An IANA zone such as Europe/Paris; the user's day starts at midnight there.",
    )

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone or settings.DEFAULT_USER_TIME_ZONE)
