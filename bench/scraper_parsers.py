"""What an HTML parser would cost the scraper: parse time, import time, Lambda zip bytes.

    build/bench-venv/bin/python bench/scraper_parsers.py [--rows 10000] [--runs 5]

Run it with an interpreter that has the candidates installed (bench/requirements-bench.txt puts
selectolax, beautifulsoup4 and lxml in build/bench-venv; a missing one is reported and skipped).
For each candidate: the median time to read the rows of ``table.movieTable tbody tr`` from the
sandbox's page (all seven cell texts), the import time in a fresh interpreter, and what its files
would add to the zip (deflate-compressed and raw, ``.pyc`` and ``__pycache__`` excluded as the zip
rewrite recompiles them). Prints a Markdown table for bench/README.md.
"""

from __future__ import annotations

import argparse
import importlib.util
import io
import statistics
import subprocess
import sys
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scraper.parsing import parse_movies  # noqa: E402  (standard library only, no Django)
from scraper.sandbox.pages import page_html  # noqa: E402


def _stdlib(html: str) -> list[list[str]]:
    return [list(row.values()) for row in parse_movies(html)]


def _selectolax_lexbor(html: str) -> list[list[str]]:
    from selectolax.lexbor import LexborHTMLParser

    tree = LexborHTMLParser(html)
    return [[td.text(strip=True) for td in tr.css("td")] for tr in tree.css("table.movieTable tbody tr")]


def _bs4(html: str, backend: str) -> list[list[str]]:
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html, backend)
    return [
        [td.get_text(strip=True) for td in tr.find_all("td")]
        for tr in soup.select("table.movieTable tbody tr")
    ]


def _lxml(html: str) -> list[list[str]]:
    import lxml.html

    tree = lxml.html.fromstring(html)
    rows = tree.xpath("//table[contains(concat(' ', normalize-space(@class), ' '), ' movieTable ')]/tbody/tr")
    return [[td.text_content().strip() for td in tr.findall("td")] for tr in rows]


CANDIDATES = [
    # label, parse function, import statement, packages it ships
    ("standard library `html.parser` (scraper/parsing.py)", _stdlib, "import html.parser", []),
    (
        "selectolax 1.0 (lexbor)",
        _selectolax_lexbor,
        "from selectolax.lexbor import LexborHTMLParser",
        ["selectolax"],
    ),
    (
        "BeautifulSoup 4 + `html.parser` (the workshop's pick)",
        lambda html: _bs4(html, "html.parser"),
        "import bs4",
        ["bs4", "soupsieve"],
    ),
    (
        "BeautifulSoup 4 + lxml",
        lambda html: _bs4(html, "lxml"),
        "import bs4, lxml.etree",
        ["bs4", "soupsieve", "lxml"],
    ),
    ("lxml.html (XPath)", _lxml, "import lxml.html", ["lxml"]),
]


def zip_cost(packages: list[str]) -> tuple[int, int]:
    """(deflated bytes, raw bytes) of the packages' files, as the Lambda zip would hold them."""
    buffer = io.BytesIO()
    raw = 0
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in packages:
            spec = importlib.util.find_spec(name)
            if spec is None or not spec.submodule_search_locations:
                continue
            folder = Path(next(iter(spec.submodule_search_locations)))
            for path in folder.rglob("*"):
                if path.is_dir() or "__pycache__" in path.parts or path.suffix == ".pyc":
                    continue
                raw += path.stat().st_size
                archive.write(path, path.relative_to(folder.parent))
    return buffer.getbuffer().nbytes, raw


def import_ms(statement: str, runs: int) -> float:
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run([sys.executable, "-I", "-S", "-c", "pass"], check=True)
        bare = time.perf_counter() - started
        started = time.perf_counter()
        # -S keeps site-packages off sys.path: add it back explicitly, but run no .pth files.
        code = f"import sys; sys.path[:0] = {sys.path[1:]!r}; {statement}"
        subprocess.run([sys.executable, "-I", "-S", "-c", code], check=True)
        timings.append(max(0.0, time.perf_counter() - started - bare))
    return statistics.median(timings) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    html = page_html(rows=args.rows)
    expected = _stdlib(html)
    print(f"{args.rows} rows, {len(html.encode()) / 1e6:.2f} MB page, median of {args.runs} runs\n")
    print("| parser | parse ms | import ms | zip KiB (deflated / raw) |")
    print("|---|---|---|---|")
    for label, parse, statement, packages in CANDIDATES:
        try:
            rows = parse(html)
        except ImportError as exc:
            print(f"| {label} | not installed ({exc.name}) | | |")
            continue
        assert rows == expected, f"{label} read different rows"
        timings = []
        for _ in range(args.runs):
            started = time.perf_counter()
            parse(html)
            timings.append((time.perf_counter() - started) * 1000)
        deflated, raw = zip_cost(packages)
        print(
            f"| {label} | {statistics.median(timings):.0f} | {import_ms(statement, args.runs):.0f} | "
            f"{deflated / 1024:.0f} / {raw / 1024:.0f} |"
        )


if __name__ == "__main__":
    main()
