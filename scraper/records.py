"""The stream records of the pipeline: how a page row is written, and how a record becomes a movie.

Formats (the seed's, kept):

* a movie record is the JSON of the row, every value a string, keys as the page's columns:
  ``{"id": "tt0292215", "primaryTitle": "Jüri Rumm", "originalTitle": "Jüri Rumm", "isAdult": "False",
  "startYear": "1994", "runtimeMinutes": "90", "genres": "Adventure,Drama"}``, plus ``"scrapeRun":
  "<run id>"`` (also a string) so the consumer knows whose movie it is;
* a page error record keeps the original's shape ``{"content": <html>, "error_message": "Couldn't scrape
  the page"}`` (the seed wrote "scrap") and adds ``url``, ``reason`` and ``scrapeRun``; ``content`` is bounded.

:func:`movie_from_payload` validates and types a movie record: ``startYear``/``runtimeMinutes`` become
integers or None (``N/A``), ``genres`` a list, ``isAdult`` a boolean (None for ``N/A``). Anything else
is a :class:`MalformedRecord` whose message says what is wrong. Standard library only.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from typing import Any

RUN_KEY = "scrapeRun"
COLUMNS = ("id", "primaryTitle", "originalTitle", "isAdult", "startYear", "runtimeMinutes", "genres")
MISSING = "N/A"
ORIGINAL_ERROR_MESSAGE = "Couldn't scrape the page"
CONTENT_MAX = 2000  # characters of a page kept in its error record
TITLE_MAX = 500
GENRE_MAX = 40
GENRES_MAX = 3  # IMDb's format: at most three genres per title
YEARS = range(1870, 2101)
RUNTIMES = range(0, 100_001)  # minutes; a few experimental films run for days
MOVIE_ID = re.compile(r"tt\d{7,10}")
GENRE = re.compile(r"[^\W\d_][\w\- &']*", re.UNICODE)
TRUE, FALSE = {"true", "1", "yes"}, {"false", "0", "no"}
# IMDb's genre vocabulary (names only): the sandbox's pages use it, the filter form suggests it.
KNOWN_GENRES = (
    "Action",
    "Adventure",
    "Animation",
    "Biography",
    "Comedy",
    "Crime",
    "Documentary",
    "Drama",
    "Family",
    "Fantasy",
    "Film-Noir",
    "History",
    "Horror",
    "Music",
    "Musical",
    "Mystery",
    "Romance",
    "Sci-Fi",
    "Short",
    "Sport",
    "Thriller",
    "War",
    "Western",
)


class MalformedRecord(ValueError):
    """A record that is not a valid movie (or not a valid error record); ``str(exc)`` says why."""

    def __init__(self, reason: str, *, movie_id: str | None = None, run_id: int | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.movie_id = movie_id
        self.run_id = run_id


@dataclass(frozen=True)
class MovieRow:
    """A validated, typed movie of one run."""

    run_id: int
    movie_id: str
    primary_title: str
    original_title: str | None
    is_adult: bool | None
    start_year: int | None
    runtime_minutes: int | None
    genres: tuple[str, ...]

    @property
    def search(self) -> str:
        return fold(" ".join(t for t in (self.primary_title, self.original_title) if t))


def fold(text: str) -> str:
    """Case- and accent-insensitive form for the title filter: "Jüri Rumm" -> "juri rumm"."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


# --- writing ------------------------------------------------------------------------------------


def movie_record(*, row: dict[str, str], run_id: int) -> bytes:
    """The stream record of one page row (the row's strings plus the run)."""
    return json.dumps({**row, RUN_KEY: str(run_id)}, ensure_ascii=False).encode()


def page_error_record(*, url: str, reason: str, content: str, run_id: int) -> bytes:
    return json.dumps(
        {
            "url": url,
            "error_message": ORIGINAL_ERROR_MESSAGE,
            "reason": reason,
            "content": content[:CONTENT_MAX],
            RUN_KEY: str(run_id),
        },
        ensure_ascii=False,
    ).encode()


# --- reading ------------------------------------------------------------------------------------


def decode(data: bytes) -> dict[str, Any]:
    """The JSON object a record carries; MalformedRecord if it is not one."""
    try:
        payload = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise MalformedRecord(f"The record is not JSON text ({exc}).") from exc
    if not isinstance(payload, dict):
        raise MalformedRecord(f"The record is JSON but not an object (a {type(payload).__name__}).")
    return payload


def run_of(payload: dict[str, Any]) -> int | None:
    """The run a record names, or None (missing or not a positive whole number)."""
    value = payload.get(RUN_KEY)
    if isinstance(value, str) and value.isdigit() and 0 < int(value) < 2**63:
        return int(value)
    return None


def _text(payload: dict[str, Any], key: str) -> str | None:
    """The field as the page showed it, stripped; None for N/A (a missing field is malformed:
    the row lost a cell)."""
    if key not in payload:
        raise MalformedRecord(
            f"{key} is missing: the row has fewer cells than the {len(COLUMNS)} of the format."
        )
    value = payload[key]
    if not isinstance(value, str):
        raise MalformedRecord(f"{key} must be a string, not {json.dumps(value)[:40]}.")
    value = value.strip()
    return None if value in ("", MISSING) else value


def _number(payload: dict[str, Any], key: str, allowed: range, what: str) -> int | None:
    value = _text(payload, key)
    if value is None:
        return None
    if not value.isascii() or not value.isdigit() or int(value) not in allowed:
        raise MalformedRecord(
            f"{key} {value[:40]!r} is not {what} ({allowed.start}-{allowed.stop - 1}, or {MISSING})."
        )
    return int(value)


def _boolean(payload: dict[str, Any], key: str) -> bool | None:
    value = _text(payload, key)
    if value is None:
        return None
    if value.lower() in TRUE:
        return True
    if value.lower() in FALSE:
        return False
    raise MalformedRecord(f"{key} {value[:40]!r} is not True or False.")


def _genres(payload: dict[str, Any]) -> tuple[str, ...]:
    value = _text(payload, "genres")
    if value is None:
        return ()
    seen: dict[str, str] = {}
    for name in (part.strip() for part in value.split(",")):
        if not name:
            continue
        if len(name) > GENRE_MAX or not GENRE.fullmatch(name):
            raise MalformedRecord(f"genres has {name[:50]!r}, which is not a genre name.")
        seen.setdefault(name.casefold(), name)
    if len(seen) > GENRES_MAX:
        raise MalformedRecord(f"genres lists {len(seen)} genres; the format has at most {GENRES_MAX}.")
    return tuple(seen.values())


def movie_from_payload(payload: dict[str, Any]) -> MovieRow:
    """Validate and type one movie record; MalformedRecord says what is wrong with it."""
    run_id = run_of(payload)
    raw_id = payload.get("id")
    movie_id = raw_id.strip() if isinstance(raw_id, str) else None
    try:
        if run_id is None:
            raise MalformedRecord(f"The record names no scrape run ({RUN_KEY} must be a run id).")
        if not movie_id or not MOVIE_ID.fullmatch(movie_id):
            shown = json.dumps(raw_id, ensure_ascii=False)[:40] if raw_id is not None else "missing"
            raise MalformedRecord(f"id {shown} is not a movie id like tt0292215.")
        title = _text(payload, "primaryTitle")
        if title is None:
            raise MalformedRecord("primaryTitle is empty: a movie needs a title.")
        original = _text(payload, "originalTitle")
        for key, text in (("primaryTitle", title), ("originalTitle", original)):
            if text is not None and len(text) > TITLE_MAX:
                raise MalformedRecord(f"{key} is {len(text)} characters long; at most {TITLE_MAX} are kept.")
        return MovieRow(
            run_id=run_id,
            movie_id=movie_id,
            primary_title=title,
            original_title=original,
            is_adult=_boolean(payload, "isAdult"),
            start_year=_number(payload, "startYear", YEARS, "a year"),
            runtime_minutes=_number(payload, "runtimeMinutes", RUNTIMES, "a number of minutes"),
            genres=_genres(payload),
        )
    except MalformedRecord as exc:
        ok_id = movie_id if movie_id and len(movie_id) <= 64 else None
        raise MalformedRecord(exc.reason, movie_id=ok_id, run_id=run_id) from None


@dataclass(frozen=True)
class PageError:
    run_id: int | None
    url: str | None
    error_message: str
    reason: str
    content: str | None


def page_error_from_payload(payload: dict[str, Any]) -> PageError:
    """A page error record, leniently (it is already an error: keep whatever it says)."""

    def text(key: str, limit: int) -> str | None:
        value = payload.get(key)
        return value[:limit] if isinstance(value, str) and value else None

    return PageError(
        run_id=run_of(payload),
        url=text("url", 2000),
        error_message=text("error_message", 200) or ORIGINAL_ERROR_MESSAGE,
        reason=text("reason", 1000) or text("error_message", 1000) or "The page could not be read.",
        content=text("content", CONTENT_MAX),
    )
