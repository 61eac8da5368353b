"""Reading a movies page: table.movieTable rows in the seed's order; the div layout is unreadable."""

import pytest

from scraper.parsing import PageUnreadable, parse_movies
from scraper.sandbox.pages import movies, page_html

ROW = (
    "<tr><td>tt0292215</td><td>Jüri Rumm</td><td>Jüri Rumm</td><td>False</td>"
    "<td>1994</td><td>90</td><td>Adventure,Drama</td></tr>"
)


def page(body: str) -> str:
    return f"<!doctype html><html><body>{body}</body></html>"


def test_a_table_row_becomes_the_seven_strings_of_the_seed():
    rows = parse_movies(page(f'<table class="movieTable"><tbody>{ROW}</tbody></table>'))

    assert rows == [
        {
            "id": "tt0292215",
            "primaryTitle": "Jüri Rumm",
            "originalTitle": "Jüri Rumm",
            "isAdult": "False",
            "startYear": "1994",
            "runtimeMinutes": "90",
            "genres": "Adventure,Drama",
        }
    ]


def test_the_sandbox_page_reads_back_every_movie_with_non_ascii_titles_and_na_values():
    expected = movies()

    rows = parse_movies(page_html())

    assert [r["id"] for r in rows] == [m.id for m in expected]
    assert [r["originalTitle"] for r in rows] == [m.original_title for m in expected]
    assert any(not r["originalTitle"].isascii() for r in rows)
    assert any(r["startYear"] == "N/A" for r in rows)
    assert any(r["runtimeMinutes"] == "N/A" for r in rows)


def test_header_rows_and_other_tables_are_not_movies():
    html = page(
        '<table class="nav"><tr><td>tt9999999</td></tr></table>'
        '<table class="movieTable wide"><thead><tr><th>id</th><th>primaryTitle</th></tr></thead>'
        f"<tbody>{ROW}</tbody><tfoot><tr><td>total</td></tr></tfoot></table>"
    )

    assert [r["id"] for r in parse_movies(html)] == ["tt0292215"]


def test_rows_without_tbody_and_cells_without_end_tags_are_read_as_a_browser_would():
    html = page(
        '<table class="movieTable"><tr><th>id</th><th>title</th></tr>'
        "<tr><td>tt0000001<td>Först &amp; sist<td>N/A<td>False<td>N/A<td>N/A<td>N/A"
        "<tr><td>tt0000002<td><a href='/x'>Ænima</a> <em>(2)</em><td>Ænima<td>True<td>2001<td>75<td>Music</table>"
    )

    rows = parse_movies(html)

    assert [(r["id"], r["primaryTitle"]) for r in rows] == [
        ("tt0000001", "Först & sist"),
        ("tt0000002", "Ænima (2)"),
    ]
    assert rows[1]["genres"] == "Music"


def test_a_row_missing_cells_keeps_the_cells_it_has():
    html = page(
        '<table class="movieTable"><tbody><tr><td>tt0000003</td><td>Only a title</td></tr></tbody></table>'
    )

    assert parse_movies(html) == [{"id": "tt0000003", "primaryTitle": "Only a title"}]


def test_a_nested_table_inside_a_cell_does_not_end_the_movie_table():
    html = page(
        '<table class="movieTable"><tbody><tr><td>tt0000004</td><td>A'
        "<table><tr><td>inner</td></tr></table></td><td>B</td><td>False</td><td>2000</td><td>90</td>"
        f"<td>Drama</td></tr>{ROW}</tbody></table>"
    )

    rows = parse_movies(html)

    assert [r["id"] for r in rows] == ["tt0000004", "tt0292215"]
    assert rows[0]["primaryTitle"] == "Ainner"


def test_the_div_layout_is_unreadable_and_says_so():
    with pytest.raises(PageUnreadable, match=r"300 movies as div\.movie \.movieRow"):
        parse_movies(page_html(layout="div"))


def test_a_page_without_any_movie_table_is_unreadable():
    with pytest.raises(PageUnreadable, match="no table.movieTable"):
        parse_movies(page("<table><tr><td>tt0292215</td></tr></table>"))


def test_an_empty_movie_table_is_read_as_no_movies():
    assert parse_movies(page('<table class="movieTable"><thead><tr><th>id</th></tr></thead></table>')) == []
