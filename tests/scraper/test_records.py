"""Stream records: a page row's record, and its validation and typing into a movie."""

import json

import pytest

from scraper.records import (
    MalformedRecord,
    decode,
    fold,
    movie_from_payload,
    movie_record,
    page_error_from_payload,
    page_error_record,
)
from tests.scraper.factories import JURI_RUMM


def payload(**changes):
    return {**JURI_RUMM, "scrapeRun": "7", **changes}


def test_a_row_record_is_the_rows_strings_plus_the_run():
    data = json.loads(movie_record(row=JURI_RUMM, run_id=7))

    assert data == {**JURI_RUMM, "scrapeRun": "7"}
    assert all(isinstance(value, str) for value in data.values())


def test_a_record_is_typed_years_and_runtimes_as_integers_genres_as_a_list_adult_as_a_boolean():
    movie = movie_from_payload(payload())

    assert (movie.run_id, movie.movie_id, movie.primary_title) == (7, "tt0292215", "Jüri Rumm")
    assert (movie.start_year, movie.runtime_minutes, movie.is_adult) == (1994, 90, False)
    assert movie.genres == ("Adventure", "Drama")
    assert movie.search == "juri rumm juri rumm"


def test_na_values_become_none_and_no_genres():
    movie = movie_from_payload(
        payload(originalTitle="N/A", isAdult="N/A", startYear="N/A", runtimeMinutes="N/A", genres="N/A")
    )

    assert (movie.original_title, movie.is_adult, movie.start_year, movie.runtime_minutes) == (None,) * 4
    assert movie.genres == ()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"startYear": "19x4"}, "startYear '19x4' is not a year"),
        ({"startYear": "１９９４"}, "is not a year"),
        ({"startYear": "3021"}, "is not a year"),
        ({"runtimeMinutes": "90 min"}, "runtimeMinutes '90 min' is not a number of minutes"),
        ({"isAdult": "maybe"}, "isAdult 'maybe' is not True or False"),
        ({"primaryTitle": ""}, "primaryTitle is empty"),
        ({"primaryTitle": "N/A"}, "primaryTitle is empty"),
        ({"id": "tt12ab"}, 'id "tt12ab" is not a movie id'),
        ({"id": 292215}, "id 292215 is not a movie id"),
        ({"genres": "Drama,<script>"}, "is not a genre name"),
        ({"genres": "Drama,War,Crime,Sport"}, "lists 4 genres"),
        ({"runtimeMinutes": 90}, "runtimeMinutes must be a string"),
        ({"scrapeRun": "x"}, "names no scrape run"),
    ],
)
def test_a_malformed_record_says_what_is_wrong(changes, message):
    with pytest.raises(MalformedRecord, match=message):
        movie_from_payload(payload(**changes))


def test_a_row_that_lost_a_cell_is_malformed():
    row = payload()
    del row["genres"]

    with pytest.raises(MalformedRecord, match="genres is missing"):
        movie_from_payload(row)


def test_a_malformed_record_still_names_its_run_and_movie_when_it_can():
    with pytest.raises(MalformedRecord) as caught:
        movie_from_payload(payload(startYear="19x4"))

    assert (caught.value.run_id, caught.value.movie_id) == (7, "tt0292215")


def test_genres_are_kept_once_in_page_order_whatever_their_case():
    assert movie_from_payload(payload(genres="Drama, drama ,Sci-Fi")).genres == ("Drama", "Sci-Fi")


@pytest.mark.parametrize("data", [b"\xff\xfe", b"not json", b"[1, 2]"])
def test_bytes_that_are_not_a_json_object_are_malformed(data):
    with pytest.raises(MalformedRecord):
        decode(data)


def test_a_page_error_record_keeps_the_originals_keys_and_a_bounded_snippet():
    data = json.loads(page_error_record(url="https://x/", reason="no table", content="<p>" * 5000, run_id=3))

    assert data["error_message"] == "Couldn't scrape the page"
    assert len(data["content"]) == 2000
    error = page_error_from_payload(data)
    assert (error.run_id, error.url, error.reason) == (3, "https://x/", "no table")


def test_the_originals_error_record_without_url_or_run_is_still_read():
    error = page_error_from_payload(
        {"content": "<div class='movie'>", "error_message": "Couldn't scrap the page"}
    )

    assert (error.run_id, error.url, error.reason) == (None, None, "Couldn't scrap the page")


def test_folding_ignores_case_and_accents():
    assert fold("ÕHTU Jõgi") == fold("õhtu jogi") == "ohtu jogi"
