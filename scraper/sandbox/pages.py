"""Synthetic movies pages in the seed's formats, for the sandbox stand-in, the demo and the benchmark.

The workshop scraped a page provided for the course; its rows were IMDb ``title.basics`` rows, which
are personal/non-commercial data and must not be shipped (shared/data/README.md). These rows are
generated instead, deterministically (the same ``seed`` always gives the same page), in the seed's
format: id ``tt`` + 7 digits, primaryTitle, originalTitle (often in another script: Estonian,
German, Polish, Greek, Russian, Japanese, Icelandic, Turkish, Spanish titles), isAdult as
``True``/``False``, startYear, runtimeMinutes, comma-joined genres, and ``N/A`` for missing values.

Two layouts, as the issue describes them:

* ``table``: ``<table class="movieTable">`` with a ``<thead>`` and one ``<tr>`` per movie in ``<tbody>``,
  the seven cells in the order above: the layout the scraper reads.
* ``div``: ``<div class="movie">`` holding ``<div class="movieRow">`` blocks, the layout the original
  scraper could not read (it produced an error record for it).

``messy=True`` mixes in a few rows a real page gets wrong (a year written ``19x4``, a runtime with
its unit, a missing title, a row with a cell missing): the pipeline must reject each of those on
its own, without blocking the others.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from html import escape

from scraper.records import COLUMNS
from scraper.records import KNOWN_GENRES as GENRES

MISSING = "N/A"
DEFAULT_ROWS = 300
MAX_ROWS = 10_000

# Words titles are made of, per language: (original-language words, English renderings).
WORDS = {
    "et": (["Õhtu", "Jõgi", "Sügis", "Mäed", "Tuul", "Öö", "Kodu", "Rändaja", "Järv", "Hääl"], 1),
    "de": (["Über", "Rückkehr", "Märchen", "Größe", "Frühling", "Straße", "Glück", "Schatten"], 1),
    "pl": (["Żółty", "Świt", "Łąka", "Noc", "Źródło", "Cień", "Ślady", "Gwiazda"], 1),
    "el": (["Θάλασσα", "Νύχτα", "Ήλιος", "Δρόμος", "Σιωπή", "Ταξίδι"], 1),
    "ru": (["Зима", "Дорога", "Тишина", "Берег", "Сердце", "Ветер"], 1),
    "ja": (["東京", "夜", "雨", "物語", "春", "海辺", "約束"], 0),
    "is": (["Þögn", "Ævintýri", "Fjörður", "Dögun", "Sólin"], 1),
    "tr": (["Güneş", "Yağmur", "Gölge", "Şehir", "Rüzgâr"], 1),
    "es": (["Mañana", "Corazón", "Niño", "Señal", "Canción", "Jardín"], 1),
    "fr": (["Été", "Rêve", "Forêt", "Lumière", "Fenêtre", "Éclat"], 1),
}
ENGLISH = [
    "Night",
    "Road",
    "River",
    "Winter",
    "Silence",
    "Return",
    "Shadow",
    "Garden",
    "Promise",
    "Dawn",
    "Voice",
    "Storm",
    "Harbour",
    "Letters",
    "Echo",
]
CONNECTORS = {"et": "ja", "de": "und", "pl": "i", "el": "και", "ru": "и", "is": "og", "tr": "ve"}
CONNECTORS.update({"es": "y", "fr": "et", "ja": "の"})


@dataclass(frozen=True)
class Movie:
    """One row of a movies page, every value a string as the page shows it."""

    id: str
    primary_title: str
    original_title: str
    is_adult: str
    start_year: str
    runtime_minutes: str
    genres: str

    def cells(self) -> tuple[str, ...]:
        return (
            self.id,
            self.primary_title,
            self.original_title,
            self.is_adult,
            self.start_year,
            self.runtime_minutes,
            self.genres,
        )


def _title(rng: random.Random, language: str) -> str:
    words, spaced = WORDS[language]
    count = rng.choice((1, 1, 2, 3))
    picked = rng.sample(words, count)
    if count == 3:
        picked.insert(2, CONNECTORS[language])
    return (" " if spaced else "").join(picked)


def _english(rng: random.Random) -> str:
    first, second = rng.sample(ENGLISH, 2)
    return rng.choice((f"The {first}", f"{first} and {second}", f"A {first} in {second}", first))


def movies(*, rows: int = DEFAULT_ROWS, seed: int = 3, messy: bool = False) -> list[Movie]:
    """``rows`` synthetic movies (ids unique, in id order); ``messy`` puts bad rows among them."""
    rng = random.Random(seed)
    found: list[Movie] = []
    number = 1_000_000 + seed * 7919
    languages = sorted(WORDS)
    for _ in range(rows):
        number += rng.randint(1, 97)
        language = rng.choice(languages)
        original = _title(rng, language)
        primary = original if rng.random() < 0.6 else _english(rng)
        genres = sorted(rng.sample(GENRES, rng.choice((1, 2, 2, 3, 3))))
        short = "Short" in genres
        year = str(rng.randint(1921, 2025)) if rng.random() > 0.05 else MISSING
        runtime = (
            MISSING if rng.random() < 0.08 else str(rng.randint(4, 40) if short else rng.randint(62, 188))
        )
        found.append(
            Movie(
                id=f"tt{number:07d}",
                primary_title=primary,
                original_title=original,
                is_adult="True" if rng.random() < 0.01 else "False",
                start_year=year,
                runtime_minutes=runtime,
                genres=MISSING if rng.random() < 0.04 else ",".join(genres),
            )
        )
    if messy and len(found) >= 8:
        # What a hand-maintained page gets wrong, one mistake per row.
        found[2] = _replace(found[2], start_year="19x4")
        found[4] = _replace(found[4], runtime_minutes="90 min")
        found[6] = _replace(found[6], primary_title="")
        found[7] = _replace(found[7], id="tt12ab")
    return found


def _replace(movie: Movie, **changes: str) -> Movie:
    values = {
        "id": movie.id,
        "primary_title": movie.primary_title,
        "original_title": movie.original_title,
        "is_adult": movie.is_adult,
        "start_year": movie.start_year,
        "runtime_minutes": movie.runtime_minutes,
        "genres": movie.genres,
    }
    values.update(changes)
    return Movie(**values)


_HEAD = (
    '<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
    "<title>Movies</title>\n</head>\n<body>\n<h1>Movies</h1>\n"
)
_FOOT = "</body>\n</html>\n"


def _table_lines(rows: list[Movie], *, messy: bool) -> Iterator[str]:
    yield '<table class="movieTable">\n<thead><tr>'
    yield "".join(f"<th>{name}</th>" for name in COLUMNS)
    yield "</tr></thead>\n<tbody>\n"
    for n, movie in enumerate(rows):
        cells = movie.cells()
        if messy and n == 9:
            cells = cells[:-1]  # a row that lost its last cell
        yield "<tr>" + "".join(f"<td>{escape(value)}</td>" for value in cells) + "</tr>\n"
    yield "</tbody>\n</table>\n"


def _div_lines(rows: list[Movie]) -> Iterator[str]:
    yield '<div class="movie">\n'
    for movie in rows:
        spans = "".join(
            f'<span class="{name}">{escape(value)}</span>'
            for name, value in zip(COLUMNS, movie.cells(), strict=True)
        )
        yield f'<div class="movieRow">{spans}</div>\n'
    yield "</div>\n"


def page_html(*, rows: int = DEFAULT_ROWS, layout: str = "table", seed: int = 3, messy: bool = False) -> str:
    """A whole movies page: ``layout`` "table" (readable) or "div" (the layout the original could not read).

    Cached: the same arguments always give the same page, and the 10,000-row one takes a while."""
    if layout not in ("table", "div"):
        raise ValueError(f"Unknown layout {layout!r}: use 'table' or 'div'.")
    return _page_html(rows, layout, seed, messy)


@lru_cache(maxsize=8)
def _page_html(rows: int, layout: str, seed: int, messy: bool) -> str:
    listed = movies(rows=rows, seed=seed, messy=messy)
    body = _table_lines(listed, messy=messy) if layout == "table" else _div_lines(listed)
    return _HEAD + "".join(body) + _FOOT
