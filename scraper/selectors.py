"""Reads of the scraper: the user's runs and movie list (ORM) and their movies and errors (DynamoDB).

The movie list (filters, count, sorts, pages both ways, CSV export) reads the relational index the
stream consumer keeps (``MovieListing``): keyset pages whose cursor is the first or last row's sort
keys (base64 JSON, tied to its sort), so a page is two queries whatever the number of movies.
Every DynamoDB read is a GetItem or a Query whose hash key is the caller's (see the key design in
``scraper/__init__.py``), never a Scan. Error pages are cursor-based, as DynamoDB pages are: the
cursor is the last item's range key, and the next page is a Query of the caller's own partition for
the range keys after it, so a cursor can never reach anybody else's. One more item than the page
is read, so ``next_cursor`` is None exactly when nothing follows.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db.models import Q, QuerySet

from scraper.models import MovieListing, ScrapeRun, ScrapeSchedule
from scraper.records import fold

if TYPE_CHECKING:
    from accounts.models import User


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
    previous_cursor: str | None = None
    count: int | None = None  # how many movies match the filters (None: not asked)
    sort: str = "id"


@dataclass(frozen=True)
class MovieDetail:
    movie: Movie
    run: ScrapeRun | None  # the run that stored this copy (None once it is deleted)
    updated_at: datetime


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


INVALID_CURSOR = "This cursor is not one this list gave out; start from the first page."


def _cursor_write(values: dict[str, Any]) -> str:
    """An opaque cursor: the values as URL-safe base64 JSON without padding."""
    return base64.urlsafe_b64encode(json.dumps(values).encode()).decode().rstrip("=")


def _cursor_values(cursor: str) -> Any:
    """What a cursor holds (checked by the caller); a 400 for one that is not base64 JSON."""
    if len(cursor) > 1000:
        raise ValidationError({"cursor": INVALID_CURSOR})
    try:
        return json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise ValidationError({"cursor": INVALID_CURSOR}) from None


def _encode(after: str) -> str:
    return _cursor_write({"after": after})


def _decode(cursor: str | None) -> str | None:
    if not cursor:
        return None
    invalid = ValidationError({"cursor": INVALID_CURSOR})
    values = _cursor_values(cursor)
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


def movie_detail(*, owner: User, movie_id: str) -> MovieDetail:
    """One of the owner's movies as DynamoDB holds it (a GetItem) and the run that stored it (one
    query; None once that run is deleted); MovieNotFound otherwise."""
    from scraper.dynamo import MovieItem, owner_key

    if not movie_id or len(movie_id) > 64:
        raise MovieNotFound("No such movie.")
    try:
        item = MovieItem.get(owner_key(owner.pk), movie_id)
    except MovieItem.DoesNotExist:
        raise MovieNotFound("No such movie.") from None
    run = scrape_run_list(owner=owner).filter(pk=int(item.run_id)).first()
    return MovieDetail(movie=_movie(item), run=run, updated_at=item.updated_at)


def scrape_schedule_get(*, owner: User) -> ScrapeSchedule | None:
    """The owner's schedule, if they set one."""
    return ScrapeSchedule.objects.filter(owner=owner).select_related("last_run").first()


SORTS: dict[str, tuple[str, ...]] = {
    # name -> the listing's columns it orders by ("-": descending); the last one is unique per owner
    "id": ("movie_id",),
    "title": ("title_key", "movie_id"),
    "-title": ("-title_key", "-movie_id"),
    "year": ("no_year", "year_sort", "movie_id"),
    "-year": ("no_year", "-year_sort", "movie_id"),
}
SORT_LABELS = {
    "id": "Id",
    "title": "Title (A-Z)",
    "-title": "Title (Z-A)",
    "year": "Year (oldest first)",
    "-year": "Year (newest first)",
}
_KEY_TYPES = {"movie_id": str, "title_key": str, "no_year": bool, "year_sort": int}


def movie_sort_default(*, genre: str | None, year_from: int | None, year_to: int | None) -> str:
    """The order when none is asked for: by id, or by year with a genre or a year range."""
    return "id" if genre is None and year_from is None and year_to is None else "year"


def _movie_keys(listing: Any, sort: str) -> list[Any]:
    return [getattr(listing, column.lstrip("-")) for column in SORTS[sort]]


def _movie_cursor(sort: str, way: str, keys: list[Any]) -> str:
    return _cursor_write({"sort": sort, way: keys})


def _movie_cursor_read(cursor: str | None, sort: str) -> tuple[str, list[Any]] | None:
    """("after" | "before", the keys of the item next to the page) of a cursor this list gave out."""
    if not cursor:
        return None
    invalid = ValidationError({"cursor": INVALID_CURSOR})
    values = _cursor_values(cursor)
    if not isinstance(values, dict) or values.get("sort") != sort or len(values) != 2:
        raise invalid
    way = "after" if "after" in values else "before"
    keys = values.get(way)
    columns = [column.lstrip("-") for column in SORTS[sort]]
    if not isinstance(keys, list) or len(keys) != len(columns):
        raise invalid
    for column, key in zip(columns, keys, strict=True):
        wanted = _KEY_TYPES[column]
        if type(key) is not wanted or (isinstance(key, str) and len(key) > 500):
            raise invalid
    return way, keys


def _keyset(sort: str, way: str, keys: list[Any]) -> Q:
    """The rows after (or before) ``keys`` in the order of ``sort``: (a > x) or (a = x and b > y) ..."""
    found = Q(pk__in=[])
    for n, column in enumerate(SORTS[sort]):
        name, descending = column.lstrip("-"), column.startswith("-")
        comparison = "lt" if descending == (way == "after") else "gt"
        equal = {column.lstrip("-"): key for column, key in zip(SORTS[sort][:n], keys, strict=False)}
        found |= Q(**equal, **{f"{name}__{comparison}": keys[n]})
    return found


def movie_listing_filter(
    *,
    owner: User,
    genre: str | None = None,
    year_from: int | None = None,
    year_to: int | None = None,
    title: str | None = None,
) -> QuerySet[MovieListing]:
    """The owner's listed movies matching the filters (a genre in any case, years inclusive, part of
    the primary or original title ignoring case and accents), unordered."""
    movies = MovieListing.objects.filter(owner=owner)
    if genre:
        folded = genre.casefold()
        movies = movies.filter(Q(genre_1=folded) | Q(genre_2=folded) | Q(genre_3=folded))
    if year_from is not None:
        movies = movies.filter(start_year__gte=year_from)
    if year_to is not None:
        movies = movies.filter(start_year__lte=year_to)
    if title:
        movies = movies.filter(search__contains=fold(title))
    return movies


def movie_list(
    *,
    owner: User,
    genre: str | None = None,
    year_from: int | None = None,
    year_to: int | None = None,
    title: str | None = None,
    sort: str | None = None,
    cursor: str | None = None,
    limit: int = 20,
    with_count: bool = True,
) -> MoviePage:
    """A page of the owner's movies, filtered and sorted, with how many match (two queries).

    Read from the relational index the stream consumer keeps (``MovieListing``), never DynamoDB:
    a count or an order by title needs no Scan there. Keyset pages both ways: ``next_cursor``
    after the page's last movie, ``previous_cursor`` before its first; a cursor only works with
    the sort it was given out for. Order: ``sort`` (``SORTS``), else by id, or by year with a genre
    or a year range (movies without a year last), ties by id.
    """
    sort = sort or movie_sort_default(genre=genre, year_from=year_from, year_to=year_to)
    if sort not in SORTS:
        raise ValidationError({"sort": f"Sort by one of: {', '.join(SORTS)}."})
    position = _movie_cursor_read(cursor, sort)
    matching = movie_listing_filter(
        owner=owner, genre=genre, year_from=year_from, year_to=year_to, title=title
    )
    order = list(SORTS[sort])
    rows = matching
    if position is not None:
        rows = rows.filter(_keyset(sort, *position))
    backwards = position is not None and position[0] == "before"
    if backwards:
        order = [column[1:] if column.startswith("-") else f"-{column}" for column in order]
    found = list(rows.order_by(*order)[: limit + 1])
    more = len(found) > limit
    found = found[:limit]
    if backwards:
        found.reverse()
    if backwards:
        after_exists, before_exists = bool(found), more
    else:
        after_exists, before_exists = more, position is not None and bool(found)
    return MoviePage(
        movies=[_listed_movie(row) for row in found],
        next_cursor=_movie_cursor(sort, "after", _movie_keys(found[-1], sort)) if after_exists else None,
        previous_cursor=_movie_cursor(sort, "before", _movie_keys(found[0], sort)) if before_exists else None,
        count=matching.count() if with_count else None,
        sort=sort,
    )


def _listed_movie(row: MovieListing) -> Movie:
    return Movie(
        movie_id=row.movie_id,
        primary_title=row.primary_title,
        original_title=row.original_title or None,
        is_adult=row.is_adult,
        start_year=row.start_year,
        runtime_minutes=row.runtime_minutes,
        genres=[genre for genre in row.genres.split(",") if genre],
    )


def movie_export_rows(*, owner: User, sort: str | None = None, limit: int, **filters: Any) -> Iterator[Movie]:
    """The owner's movies matching the filters in the list's order, at most ``limit``: one query,
    read in chunks as they are written out (a CSV export)."""
    sort = sort or movie_sort_default(
        genre=filters.get("genre"), year_from=filters.get("year_from"), year_to=filters.get("year_to")
    )
    if sort not in SORTS:
        raise ValidationError({"sort": f"Sort by one of: {', '.join(SORTS)}."})
    rows = movie_listing_filter(owner=owner, **filters).order_by(*SORTS[sort])[:limit]
    return (_listed_movie(row) for row in rows.iterator(chunk_size=500))


def movie_run_count(*, owner: User, run_id: int) -> int:
    """How many of the owner's movies are stored as this run's copy (what deleting its movies deletes)."""
    return MovieListing.objects.filter(owner=owner, run_id=run_id).count()


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
