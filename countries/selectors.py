"""Reads of countries: stored documents (DynamoDB GetItem), fetch attempts, the caller's requests,
and the caller's stored countries (browsed and compared through ``StoredCountry``, never a Scan)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ImproperlyConfigured, ObjectDoesNotExist
from django.db.models import Exists, F, OuterRef, QuerySet

from core import clock
from core.errors import DependencyUnavailable
from countries.models import FetchAttempt, FetchRequest, StoredCountry

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


# --- The caller's stored countries ---------------------------------------------------------------

# REST Countries' regions (v3.1 "region"), the values the list filters on.
REGIONS = ("Africa", "Americas", "Antarctic", "Asia", "Europe", "Oceania")
SORTS = {
    "name": (F("name").asc(), F("code").asc()),
    "-name": (F("name").desc(), F("code").desc()),
    "population": (F("population").asc(nulls_last=True), F("code").asc()),
    "-population": (F("population").desc(nulls_last=True), F("code").asc()),
}


def stored_country_stale_before() -> datetime:
    """A stored country fetched before this is stale (``COUNTRIES_STALE_AFTER_HOURS``)."""
    from django.conf import settings

    return clock.now() - timedelta(hours=settings.COUNTRIES_STALE_AFTER_HOURS)


def stored_country_list(*, owner: User, region: str = "", sort: str = "name") -> QuerySet[StoredCountry]:
    """The caller's stored countries: every country a fetch of theirs stored (its document is
    kept), in ``region`` if given, sorted by ``sort`` (a key of ``SORTS``). Each row has
    ``refetching`` (a fetch of theirs for it is in flight). One query, whatever the number of rows."""
    mine = FetchRequest.objects.filter(owner=owner, status=FetchRequest.Status.DONE).values("code")
    in_flight = FetchRequest.objects.filter(
        owner=owner, code=OuterRef("code"), status__in=FetchRequest.ACTIVE
    )
    countries = StoredCountry.objects.filter(code__in=mine).annotate(refetching=Exists(in_flight))
    if region:
        countries = countries.filter(region=region)
    return countries.order_by(*SORTS[sort])


class NotYourCountry(ObjectDoesNotExist):
    """A code that is not among the caller's stored countries, or whose document is gone (a 404)."""

    def __init__(self, message: str, *, code: str, gone: bool = False) -> None:
        super().__init__(message)
        self.code, self.gone = code, gone


@dataclass(frozen=True)
class ComparedCountry:
    country: StoredCountry
    card: dict[str, Any]
    stale: bool


def stored_country_compare(*, owner: User, codes: tuple[str, str]) -> list[ComparedCountry]:
    """Two of the caller's stored countries side by side (clean, different codes): their rows and
    their documents' cards. :class:`NotYourCountry` names the first code that is not theirs (never
    fetched by them, or not stored) or whose document is gone; DocumentsUnavailable if DynamoDB
    cannot be read. One query and two GetItems."""
    from countries.cards import country_card

    found = {country.code: country for country in stored_country_list(owner=owner).filter(code__in=codes)}
    for code in codes:
        if code not in found:
            raise NotYourCountry(
                f"{code} is not one of your stored countries: fetch it first (POST /fetch-data/{code}/).",
                code=code,
            )
    stale_before = stored_country_stale_before()
    compared = []
    for code in codes:
        document = country_document_get(code=code)
        if document is None:
            raise NotYourCountry(
                f"The stored document of {code} is gone: fetch it again (POST /fetch-data/{code}/).",
                code=code,
                gone=True,
            )
        country = found[code]
        compared.append(
            ComparedCountry(
                country=country, card=country_card(document), stale=country.fetched_at < stale_before
            )
        )
    return compared
