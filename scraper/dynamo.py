"""The scraper's DynamoDB tables: the movies (with their indexes) and the error table.

The access patterns and why the keys are what they are: the app's docstring (``scraper/__init__.py``).
Every hash key starts with the owner, so a user's Query can only ever reach that user's items.

Imported only where a function needs it (PynamoDB pulls in botocore): the URL map and an HTTP cold
start never load this module.
"""

from __future__ import annotations

from pynamodb.attributes import (
    BooleanAttribute,
    ListAttribute,
    NumberAttribute,
    UnicodeAttribute,
    UTCDateTimeAttribute,
)
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex

from core.aws.dynamo import DynamoModel

# A movie without a year sorts after every year ("n" > "9") and is in no year range.
NO_YEAR = "none"
# Kinesis sequence numbers are decimal strings of up to 129 digits: padded, they compare as strings.
SEQUENCE_DIGITS = 130
GENRE_SLOTS = 3  # IMDb's format gives a title at most three genres
ORPHAN_OWNER = "-"  # errors of records that name no run anybody owns


def owner_key(owner_id: int) -> str:
    return str(owner_id)


def padded_sequence(sequence: str) -> str:
    return sequence.rjust(SEQUENCE_DIGITS, "0")


def genre_key(*, owner_id: int, genre: str) -> str:
    """The hash key of one genre of one owner: ``"12#drama"`` (genres compare case-insensitively)."""
    return f"{owner_id}#{genre.casefold()}"


def year_movie_key(*, year: int | None, movie_id: str) -> str:
    """``"1994#tt0292215"``: orders a user's movies by year, then id, and is unique per user."""
    return f"{year:04d}#{movie_id}" if year is not None else f"{NO_YEAR}#{movie_id}"


class MoviesByYear(GlobalSecondaryIndex["MovieItem"]):
    """A user's movies by year, then id."""

    class Meta:
        index_name = "by-year"
        projection = AllProjection()

    owner = UnicodeAttribute(hash_key=True)
    year_movie = UnicodeAttribute(range_key=True)


def _genre_index(slot: int) -> type[GlobalSecondaryIndex]:
    """A user's movies of one genre by year, then id: one index per genre slot (sparse)."""

    class Meta:
        index_name = f"by-genre-{slot}"
        projection = AllProjection()

    attributes = {
        "Meta": Meta,
        f"genre_{slot}": UnicodeAttribute(hash_key=True),
        "year_movie": UnicodeAttribute(range_key=True),
    }
    return type(f"MoviesByGenre{slot}", (GlobalSecondaryIndex,), attributes)


MoviesByGenre1, MoviesByGenre2, MoviesByGenre3 = (_genre_index(slot) for slot in range(1, GENRE_SLOTS + 1))


class MovieItem(DynamoModel):
    """One movie of one owner, as its last stored stream record described it.

    ``genre_1..3`` hold ``genre_key`` of each genre (in folded alphabetical order): DynamoDB keeps
    the genre indexes in step with the item itself, so one conditional PutItem stores a movie.
    """

    class Meta:
        table_suffix = "movies"
        billing_mode = "PAY_PER_REQUEST"

    owner = UnicodeAttribute(hash_key=True)
    movie_id = UnicodeAttribute(range_key=True)
    primary_title = UnicodeAttribute()
    original_title = UnicodeAttribute(null=True)
    is_adult = BooleanAttribute(null=True)
    start_year = NumberAttribute(null=True)
    runtime_minutes = NumberAttribute(null=True)
    genres = ListAttribute(of=UnicodeAttribute, null=True)  # as the page names them, in its order
    search = UnicodeAttribute(default="")  # folded primary + original title: the title filter
    year_movie = UnicodeAttribute()
    genre_1 = UnicodeAttribute(null=True)
    genre_2 = UnicodeAttribute(null=True)
    genre_3 = UnicodeAttribute(null=True)
    run_id = NumberAttribute()
    sequence = UnicodeAttribute()  # padded Kinesis sequence number of the record stored last
    updated_at = UTCDateTimeAttribute()

    by_year = MoviesByYear()
    by_genre_1 = MoviesByGenre1()
    by_genre_2 = MoviesByGenre2()
    by_genre_3 = MoviesByGenre3()

    @classmethod
    def genre_indexes(cls) -> list[GlobalSecondaryIndex]:
        return [cls.by_genre_1, cls.by_genre_2, cls.by_genre_3]


class ErrorsByRun(GlobalSecondaryIndex["ScrapeErrorItem"]):
    """The errors of one run (sparse: errors of records that name no run are not in it)."""

    class Meta:
        index_name = "by-run"
        projection = AllProjection()

    run_id = NumberAttribute(hash_key=True)
    error_key = UnicodeAttribute(range_key=True)


class ScrapeErrorItem(DynamoModel):
    """A page that could not be read, or a stream record that was not a valid movie."""

    class Meta:
        table_suffix = "scrape-errors"
        billing_mode = "PAY_PER_REQUEST"

    SOURCE_PAGE = "page"
    SOURCE_RECORD = "record"
    SNIPPET_MAX = 2000

    owner = UnicodeAttribute(hash_key=True)
    # "<ISO time the record reached its stream>#<stream>#<shard>:<sequence>": unique, newest last,
    # and the same on every redelivery of the record (storing it again overwrites nothing).
    error_key = UnicodeAttribute(range_key=True)
    run_id = NumberAttribute(null=True)
    source = UnicodeAttribute()  # "page" | "record"
    url = UnicodeAttribute(null=True)
    error_message = UnicodeAttribute()  # the original's "Couldn't scrape the page", or "Not a valid movie"
    reason = UnicodeAttribute()
    snippet = UnicodeAttribute(null=True)  # the page's first characters, or the record's data
    movie_id = UnicodeAttribute(null=True)
    created_at = UTCDateTimeAttribute()

    by_run = ErrorsByRun()
