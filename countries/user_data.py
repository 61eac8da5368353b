"""What countries keeps of a user, for "Export my data" and "Delete my account": the fetches they
asked for and each attempt. The country documents are public data about a country, owned by nobody:
they stay (another person's fetch would store the same document)."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from countries.models import FetchAttempt, FetchRequest


def user_data_export(*, user: Any) -> dict[str, Any]:
    requests = list(FetchRequest.objects.filter(owner=user).order_by("created_at", "id"))
    attempts: dict[int, list[dict[str, Any]]] = {}
    for attempt in FetchAttempt.objects.filter(request__owner=user).order_by("started_at", "id"):
        attempts.setdefault(attempt.request_id, []).append(
            {"started_at": attempt.started_at, "success": attempt.success, "error": attempt.error}
        )
    return {
        "fetches": [
            {
                "id": request.pk,
                "code": request.code,
                "status": request.status,
                "failure": request.failure,
                "created_at": request.created_at,
                "finished_at": request.finished_at,
                "attempts": attempts.get(request.pk, []),
            }
            for request in requests
        ]
    }


@transaction.atomic
def user_data_delete(*, user: Any) -> str:
    """The requests and their attempts. A message of one still on the queue finds no request and is
    dropped (the worker's claim updates no row)."""
    deleted = FetchRequest.objects.filter(owner=user).delete()[0]
    return f"{deleted} fetch rows"
