"""What core keeps of a user: their sessions (core/aws/sessions.py). Declared on CoreConfig as its
account exporter and deleter (core.apps), like every app's."""

from __future__ import annotations

from typing import Any

from core.aws.sessions import user_sessions_delete, user_sessions_list


def user_data_export(*, user: Any) -> dict[str, Any]:
    # When each open session expires; never the session keys (they are credentials).
    return {
        "sessions": [
            {"expires_at": item.expires_at.isoformat()} for item in user_sessions_list(user_id=user.pk)
        ]
    }


def user_data_delete(*, user: Any) -> str:
    return f"{user_sessions_delete(user_id=user.pk)} sessions"
