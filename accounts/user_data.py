"""What accounts keeps of a user besides the user row: the profile (exported) and the API token."""

from __future__ import annotations

from typing import Any

from rest_framework.authtoken.models import Token


def user_data_export(*, user: Any) -> dict[str, Any]:
    token = Token.objects.filter(user=user).first()
    return {
        "username": user.username,
        "email": user.email,
        "time_zone": user.time_zone,
        "date_joined": user.date_joined,
        "last_login": user.last_login,
        # Never the key itself: it is a credential.
        "api_token_created": token.created if token else None,
    }


def user_data_delete(*, user: Any) -> str:
    from core.aws.mail import outbox_delete

    tokens = Token.objects.filter(user=user).delete()[0]
    # The laptop's outbox (core/aws/mail.py) keeps the emails sent to the address (the reset links).
    from django.contrib.auth import get_user_model

    others = get_user_model().objects.filter(email__iexact=user.email).exclude(pk=user.pk).exists()
    emails = outbox_delete(to=user.email) if user.email and not others else 0
    return f"{tokens} API tokens, {emails} outbox emails"
