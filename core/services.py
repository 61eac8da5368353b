"""Writes about accounts: sign-up, profiles, API tokens, the demo user."""

from __future__ import annotations

import zoneinfo

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from rest_framework.authtoken.models import Token

from core.models import Profile


@transaction.atomic
def user_create(*, username: str, password: str, email: str = "", time_zone: str | None = None):
    user = get_user_model().objects.create_user(username=username, password=password, email=email)
    profile = Profile(user=user)
    if time_zone:
        profile.time_zone = time_zone
    profile.full_clean(exclude=["user"])
    profile.save()
    return user


def profile_get(*, user: AbstractBaseUser) -> Profile:
    profile, _ = Profile.objects.get_or_create(user=user)
    return profile


def user_time_zone(*, user: AbstractBaseUser) -> zoneinfo.ZoneInfo:
    """The zone the user's "today" is in."""
    return zoneinfo.ZoneInfo(profile_get(user=user).time_zone)


@transaction.atomic
def profile_update(*, user: AbstractBaseUser, time_zone: str) -> Profile:
    profile = profile_get(user=user)
    profile.time_zone = time_zone
    profile.full_clean(exclude=["user"])
    profile.save(update_fields=["time_zone"])
    return profile


@transaction.atomic
def token_rotate(*, user: AbstractBaseUser) -> Token:
    """Replace the user's API token with a new one (the old one stops working)."""
    Token.objects.filter(user=user).delete()
    return Token.objects.create(user=user)


@transaction.atomic
def demo_user_ensure(*, username: str, password: str):
    """Create the local demo user (an admin), or reset its password so the printed credentials work."""
    User = get_user_model()
    user = User.objects.filter(username=username).first()
    created = user is None
    if created:
        user = user_create(username=username, password=password)
    else:
        user.set_password(password)
        profile_get(user=user)
    # The local demo user may look around the admin too.
    user.is_staff = user.is_superuser = True
    user.save()
    return user, created
