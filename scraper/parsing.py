"""Read the movies of a page: the rows of ``table.movieTable tbody tr``, cells in the seed's order.

Standard library only (``html.parser``), chosen after measuring (bench/README.md, "Scraper"): it
reads the 10,000-row sandbox page (1.3 MB) in well under a second, costs the Lambda zip nothing and
is imported only by the scrape itself, never on an HTTP cold start. BeautifulSoup (what the
workshop used) and selectolax would add their wheels to a zip that has little headroom left.

Like a browser, the parser accepts rows directly in the table (an implied ``tbody``) and cells whose
end tags are omitted; header rows (``thead``, ``th`` cells) are not movies. Text is whitespace-
collapsed; entities are decoded. A page without ``table.movieTable`` is :class:`PageUnreadable`,
with a reason that says what was found instead (the ``div.movie .movieRow`` layout the original
could not read, or no table at all). Nothing is validated here: a row is a dict of the strings the
page shows (the stream consumer validates and types them), so a bad row never hides the others.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

from scraper.records import COLUMNS

TABLE_CLASS = "movieTable"
_SPACES = re.compile(r"\s+")


class PageUnreadable(Exception):
    """The page has no movie table; ``str(exc)`` says what it has instead."""


class _MovieTableParser(HTMLParser):
    """Collects the cell texts of every body row of the first ``table.movieTable``."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.rows: list[list[str]] = []
        self.found_table = False
        self.div_rows = 0  # .movieRow elements inside a div.movie: the layout the original could not read
        self._depth = 0  # nesting of <table> inside the movie table (1 = the table itself)
        self._done = False
        self._section = "tbody"  # thead / tbody / tfoot; rows outside any section belong to the body
        self._row: list[str] | None = None
        self._cell: list[str] | None = None
        self._data_cells = 0  # <td> cells of the open row: a row of <th> only is a header row
        self._divs: list[bool] = []  # open <div>s, True for a div.movie

    # --- the movie table ---------------------------------------------------------------------

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        classes = _classes(attrs)
        if "movieRow" in classes and any(self._divs):
            self.div_rows += 1
        if tag == "div":
            self._divs.append("movie" in classes)
        if self._done:
            return
        if tag == "table":
            if self._depth:
                self._depth += 1
            elif TABLE_CLASS in classes:
                self._depth = 1
                self.found_table = True
            return
        if self._depth != 1:
            return
        if tag in ("thead", "tbody", "tfoot"):
            self._end_row()
            self._section = tag
        elif tag == "tr":
            self._end_row()
            self._row = []
        elif tag in ("td", "th"):
            if self._row is None:  # a cell outside any <tr>: browsers open the row for it
                self._row = []
            self._end_cell()
            self._cell = []
            self._data_cells += tag == "td"

    def handle_endtag(self, tag: str) -> None:
        if tag == "div" and self._divs:
            self._divs.pop()
        if self._done or not self._depth:
            return
        if tag == "table":
            self._depth -= 1
            if not self._depth:
                self._end_row()
                self._done = True  # only the first movie table is read
            return
        if self._depth != 1:
            return
        if tag in ("td", "th"):
            self._end_cell()
        elif tag == "tr":
            self._end_row()
        elif tag in ("thead", "tbody", "tfoot"):
            self._end_row()
            self._section = "tbody"

    def handle_data(self, data: str) -> None:
        if self._cell is not None and self._depth >= 1:
            self._cell.append(data)

    def _end_cell(self) -> None:
        if self._cell is None or self._row is None:
            self._cell = None
            return
        text = _SPACES.sub(" ", "".join(self._cell)).strip()
        self._row.append(text)
        self._cell = None

    def _end_row(self) -> None:
        self._end_cell()
        row, self._row = self._row, None
        data_cells, self._data_cells = self._data_cells, 0
        if not row or not data_cells or self._section != "tbody":
            return
        self.rows.append(row)


def _classes(attrs: list[tuple[str, str | None]]) -> set[str]:
    for name, value in attrs:
        if name == "class" and value:
            return set(value.split())
    return set()


def parse_movies(html: str) -> list[dict[str, str]]:
    """The page's movie rows as ``{"id": ..., "primaryTitle": ..., ...}`` (strings, as shown).

    A row with fewer than seven cells lacks the missing keys; cells beyond the seventh are ignored.
    Raises :class:`PageUnreadable` when the page has no ``table.movieTable``.
    """
    parser = _MovieTableParser()
    parser.feed(html)
    parser.close()
    if not parser.found_table:
        if parser.div_rows:
            raise PageUnreadable(
                f"The page lists {parser.div_rows} movies as div.movie .movieRow blocks, a layout "
                "this scraper cannot read: it reads the rows of table.movieTable."
            )
        raise PageUnreadable("The page has no table.movieTable to read movies from.")
    return [dict(zip(COLUMNS, row, strict=False)) for row in parser.rows]
