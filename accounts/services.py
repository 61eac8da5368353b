"""Writes about accounts: sign-up, the profile, API tokens, the export of a user's data and the
deletion of an account.

Export and deletion go through what every app declares on its AppConfig (``account_exporter``,
``account_deleter``, core.contract.registry): this module names no app.
"""

from __future__ import annotations

import logging
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from rest_framework.authtoken.models import Token

from accounts.models import User


@transaction.atomic
def user_create(*, username: str, password: str, email: str = "", time_zone: str | None = None) -> User:
    user = User(username=username, email=email)
    if time_zone:
        user.time_zone = time_zone
    user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()
    return user


@transaction.atomic
def user_time_zone_update(*, user: User, time_zone: str) -> User:
    user.time_zone = time_zone
    user.full_clean(exclude=["password"], validate_unique=False)
    user.save(update_fields=["time_zone"])
    return user


@transaction.atomic
def user_profile_update(*, user: User, email: str, time_zone: str) -> User:
    user.email = User.objects.normalize_email(email.strip())
    user.time_zone = time_zone
    user.full_clean(exclude=["password"], validate_unique=False)
    user.save(update_fields=["email", "time_zone"])
    return user


@transaction.atomic
def token_rotate(*, user: User) -> Token:
    """Replace the user's API token with a new one (the old one stops working)."""
    Token.objects.filter(user=user).delete()
    return Token.objects.create(user=user)


@transaction.atomic
def user_admin_create(*, username: str, password: str, email: str = "") -> User:
    """The first admin of a stage: a superuser with a validated password; an existing name is refused."""
    from django.contrib.auth.password_validation import validate_password

    user = User(username=username, email=email, is_staff=True, is_superuser=True)
    user.full_clean(exclude=["password"])
    validate_password(password, user=user)
    user.set_password(password)
    user.save()
    return user


logger = logging.getLogger(__name__)


def user_data_export(*, user: User) -> dict[str, Any]:
    """Everything the user owns, in every store, by app (each app's declared exporter)."""
    from core import clock
    from core.contract.registry import account_exporters

    data: dict[str, Any] = {"exported_at": clock.now(), "user_id": user.pk}
    for config, export in account_exporters():
        data[config.label] = export(user=user)
    return data


class WrongPassword(ValidationError):
    pass


def user_delete(*, user: User, password: str) -> list[str]:
    """Delete the account and everything of the user's everywhere; a summary line per app.

    The password must be the account's (``WrongPassword``, a ValidationError on ``password``). The
    account is switched off first (no session or token acts as it while its data goes), then every
    app's declared deleter runs (DynamoDB items, SNS subscriptions, its rows; core's deletes the
    sessions), then the user row goes with whatever still hangs off it. If a deleter fails, the
    account is switched on again and the error raised: what was deleted stays deleted, and the next
    attempt deletes the rest (every deleter finds what is left).
    """
    from core.contract.registry import account_deleters

    if not password or not user.check_password(password):
        raise WrongPassword({"password": ["That is not your password."]})
    User.objects.filter(pk=user.pk).update(is_active=False)
    try:
        summaries = [f"{config.verbose_name}: {delete(user=user)}" for config, delete in account_deleters()]
        with transaction.atomic():
            User.objects.filter(pk=user.pk).delete()
    except Exception:
        User.objects.filter(pk=user.pk).update(is_active=True)
        raise
    logger.info("Account %s deleted: %s", user.pk, "; ".join(summaries))
    return summaries
