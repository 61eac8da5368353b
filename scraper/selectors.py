"""Reads of the scraper: the user's runs (ORM) and their movies and errors (DynamoDB).

Every DynamoDB read is a GetItem or a Query whose hash key is the caller's (see the key design in
``scraper/__init__.py``), never a Scan. Pages are cursor-based, as DynamoDB pages are: the cursor
is the last item's range key, opaque to the client (base64 JSON); the next page is a Query of the
caller's own partition for the range keys after it, so a cursor can never reach anybody else's.
One more item than the page is read, so ``next_cursor`` is None exactly when nothing follows.
"""

from __future__ import annotations

import base64
import binascii
import heapq
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db.models import QuerySet

from scraper.models import ScrapeRun
from scraper.records import fold

if TYPE_CHECKING:
    from accounts.models import User

# Items read per Query request while a title filter thins the results out (bounded reads).
FILTERED_READ_SIZE = 500
MAX_YEAR = 9999


class MovieNotFound(ObjectDoesNotExist):
    """Not one of the caller's movies (the API answers 404)."""


@dataclass(frozen=True)
class Movie:
    movie_id: str
    primary_title: str
    original_title: str | None
    is_adult: bool | None
    start_year: int | None
    runtime_minutes: int | None
    genres: list[str]


@dataclass(frozen=True)
class MoviePage:
    movies: list[Movie]
    next_cursor: str | None


@dataclass(frozen=True)
class ScrapeError:
    key: str
    run_id: int | None
    source: str
    url: str | None
    error_message: str
    reason: str
    snippet: str | None
    movie_id: str | None
    created_at: datetime


@dataclass(frozen=True)
class ErrorPage:
    errors: list[ScrapeError]
    next_cursor: str | None


# --- runs ---------------------------------------------------------------------------------------


def scrape_run_list(*, owner: User) -> QuerySet[ScrapeRun]:
    """The owner's runs, newest first (one query per page)."""
    return ScrapeRun.objects.filter(owner=owner).order_by("-created_at", "-id")


def scrape_run_get(*, owner: User, pk: int) -> ScrapeRun:
    """One of the owner's runs; ``ScrapeRun.DoesNotExist`` for anybody else's."""
    try:
        return scrape_run_list(owner=owner).get(pk=pk)
    except ScrapeRun.DoesNotExist:
        raise ScrapeRun.DoesNotExist("No such scrape.") from None


# --- cursors ------------------------------------------------------------------------------------
# A cursor is the last item's range key, and the next page is a Query on "range key after it"
# (every range key here is unique within its partition), so no ExclusiveStartKey is ever built from
# client input.


def _encode(after: str) -> str:
    return base64.urlsafe_b64encode(json.dumps({"after": after}).encode()).decode().rstrip("=")


def _decode(cursor: str | None) -> str | None:
    if not cursor:
        return None
    invalid = ValidationError(
        {"cursor": "This cursor is not one this list gave out; start from the first page."}
    )
    if len(cursor) > 1000:
        raise invalid
    try:
        values = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise invalid from None
    after = values.get("after") if isinstance(values, dict) else None
    if not isinstance(after, str) or not 0 < len(after) <= 300:
        raise invalid
    return after


def _page(items: Iterable[Any], limit: int, key_of) -> tuple[list[Any], str | None]:
    found = []
    for item in items:
        found.append(item)
        if len(found) > limit:
            break
    if len(found) > limit:
        return found[:limit], _encode(key_of(found[limit - 1]))
    return found, None


# --- movies -------------------------------------------------------------------------------------


def _movie(item: Any) -> Movie:
    return Movie(
        movie_id=item.movie_id,
        primary_title=item.primary_title,
        original_title=item.original_title,
        is_adult=item.is_adult,
        start_year=int(item.start_year) if item.start_year is not None else None,
        runtime_minutes=int(item.runtime_minutes) if item.runtime_minutes is not None else None,
        genres=list(item.genres or []),
    )


def movie_get(*, owner: User, movie_id: str) -> Movie:
    """One of the owner's movies: a GetItem; MovieNotFound otherwise."""
    from scraper.dynamo import MovieItem, owner_key

    if not movie_id or len(movie_id) > 64:
        raise MovieNotFound("No such movie.")
    try:
        return _movie(MovieItem.get(owner_key(owner.pk), movie_id))
    except MovieItem.DoesNotExist:
        raise MovieNotFound("No such movie.") from None


def movie_list(
    *,
    owner: User,
    genre: str | None = None,
    year_from: int | None = None,
    year_to: int | None = None,
    title: str | None = None,
    cursor: str | None = None,
    limit: int = 20,
) -> MoviePage:
    """A page of the owner's movies, filtered: ordered by id, or with a year or a genre by year.

    No filter: one Query of the table. A year range: one Query of the by-year index. A genre (with
    or without years): one Query of each genre index (a movie is in at most one of them per genre),
    merged. ``title`` is a filter on that Query (case and accents ignored).
    """
    from scraper.dynamo import MovieItem, genre_key, owner_key

    owner_text = owner_key(owner.pk)
    after = _decode(cursor)
    options: dict[str, Any] = {"limit": limit + 1, "page_size": FILTERED_READ_SIZE if title else limit + 1}
    if title:
        options["filter_condition"] = MovieItem.search.contains(fold(title))
    if genre is None and year_from is None and year_to is None:
        condition = MovieItem.movie_id > after if after else None
        items: Iterable[Any] = MovieItem.query(owner_text, condition, **options)
        found, next_cursor = _page(items, limit, lambda item: item.movie_id)
        return MoviePage(movies=[_movie(item) for item in found], next_cursor=next_cursor)
    low = f"{year_from:04d}#" if year_from is not None else "0000#"
    any_year = year_from is not None or year_to is not None
    high = f"{year_to:04d}#~" if year_to is not None else (f"{MAX_YEAR}#~" if any_year else "~")
    if after:
        low = max(low, after + " ")  # " " sorts before every character a range key holds
    if low > high:
        return MoviePage(movies=[], next_cursor=None)
    if genre is None:
        items = MovieItem.by_year.query(owner_text, MovieItem.year_movie.between(low, high), **options)
    else:
        hash_key = genre_key(owner_id=owner.pk, genre=genre)
        queries = [
            index.query(hash_key, MovieItem.year_movie.between(low, high), **options)
            for index in MovieItem.genre_indexes()
        ]
        items = heapq.merge(*queries, key=lambda item: item.year_movie)
    found, next_cursor = _page(items, limit, lambda item: item.year_movie)
    return MoviePage(movies=[_movie(item) for item in found], next_cursor=next_cursor)


# --- errors -------------------------------------------------------------------------------------


def _error(item: Any) -> ScrapeError:
    return ScrapeError(
        key=item.error_key,
        run_id=int(item.run_id) if item.run_id is not None else None,
        source=item.source,
        url=item.url,
        error_message=item.error_message,
        reason=item.reason,
        snippet=item.snippet,
        movie_id=item.movie_id,
        created_at=item.created_at,
    )


def scrape_error_list(
    *, owner: User, run_id: int | None = None, cursor: str | None = None, limit: int = 20
) -> ErrorPage:
    """A page of the owner's errors, newest first; of one of their runs with ``run_id``.

    The caller checks that the run is the owner's (a 404 otherwise); the Query is also filtered
    on the owner, so another user's run id can never list their errors.
    """
    from scraper.dynamo import ScrapeErrorItem, owner_key

    owner_text = owner_key(owner.pk)
    before = _decode(cursor)
    options: dict[str, Any] = {"limit": limit + 1, "page_size": limit + 1, "scan_index_forward": False}
    condition = ScrapeErrorItem.error_key < before if before else None
    if run_id is not None:
        items = ScrapeErrorItem.by_run.query(
            run_id, condition, filter_condition=ScrapeErrorItem.owner == owner_text, **options
        )
    else:
        items = ScrapeErrorItem.query(owner_text, condition, **options)
    found, next_cursor = _page(items, limit, lambda item: item.error_key)
    return ErrorPage(errors=[_error(item) for item in found], next_cursor=next_cursor)
