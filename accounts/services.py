"""Writes about accounts: sign-up, the time zone, API tokens."""

from __future__ import annotations

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
