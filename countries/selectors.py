"""Reads of countries: stored documents (DynamoDB GetItem), fetch attempts and the caller's requests."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import ImproperlyConfigured
from django.db.models import QuerySet

from core.errors import DependencyUnavailable
from countries.models import FetchAttempt, FetchRequest

if TYPE_CHECKING:
    from accounts.models import User

STATUS_LIMIT = 50


class DocumentsUnavailable(DependencyUnavailable):
    """DynamoDB could not be reached (a 503, never a 500)."""


def country_document_get(*, code: str) -> dict[str, Any] | None:
    """The stored v3.1 document of ``code`` (upper case), or None if it was never fetched.

    Through DAX when ``COUNTRIES_DAX_ENDPOINT`` is set (countries/dax.py), else a DynamoDB GetItem.
    """
    from django.conf import settings

    from countries.dynamo import CountryItem

    try:
        if settings.COUNTRIES_DAX_ENDPOINT:
            from countries import dax

            return dax.document_get(code)
        return CountryItem.get(code).document
    except CountryItem.DoesNotExist:
        return None
    except ImproperlyConfigured:
        raise
    except Exception as exc:  # PynamoDB's GetError, connection errors: DynamoDB is unreachable
        raise DocumentsUnavailable(
            "The stored countries cannot be read right now; try again in a moment."
        ) from exc


def fetch_attempt_list(*, code: str, limit: int = STATUS_LIMIT) -> list[FetchAttempt]:
    """The attempts to fetch ``code``, newest first (everybody's: a country's status is public)."""
    return list(FetchAttempt.objects.filter(code=code).order_by("-started_at", "-id")[:limit])


def fetch_request_list(*, owner: User) -> QuerySet[FetchRequest]:
    """The caller's own fetch requests, newest first, with their attempts."""
    return (
        FetchRequest.objects.filter(owner=owner).prefetch_related("attempts").order_by("-created_at", "-id")
    )


def fetch_request_get(*, owner: User, pk: int) -> FetchRequest:
    """One of the caller's requests (DoesNotExist for anybody else's)."""
    return fetch_request_list(owner=owner).get(pk=pk)


def country_last_request(*, code: str) -> FetchRequest | None:
    return FetchRequest.objects.filter(code=code).order_by("-created_at", "-id").first()
