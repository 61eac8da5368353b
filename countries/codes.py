"""Which codes are countries: ISO 3166-1 alpha-2 from pycountry (the maintained list), and a search
by code or name for the page's search box.

Only pycountry's data file ``databases/iso3166-1.json`` (43 KB) is read, straight from the installed
package and without importing it: ``import pycountry`` costs 50-100 ms (it asks importlib.metadata
for its own version at import; bench/README.md), and a validating request must not pay that. Its
other databases and its locales (about 22 MB, none needed here) are left out of the Lambda zip
(core/deploy/packaging_zip.py); its ``search_fuzzy`` is not used because it reads the subdivisions.

Beyond ISO's list: ``XK`` (Kosovo), a user-assigned code that REST Countries serves (``cca2`` XK,
``cca3`` UNK).
"""

from __future__ import annotations

import importlib.util
import json
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured, ValidationError

CODE_HELP = "Two letters, an ISO 3166-1 alpha-2 country code such as PY (any case)."


@dataclass(frozen=True)
class Country:
    code: str  # alpha-2, upper case
    alpha_3: str
    name: str
    official_name: str

    @property
    def flag(self) -> str:
        """The flag emoji (two regional indicator letters)."""
        return "".join(chr(0x1F1E6 + ord(letter) - ord("A")) for letter in self.code)


# Codes outside ISO 3166-1 that REST Countries serves (names as REST Countries gives them).
BEYOND_ISO = {"XK": Country(code="XK", alpha_3="UNK", name="Kosovo", official_name="Republic of Kosovo")}


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def _database() -> Path:
    spec = importlib.util.find_spec("pycountry")  # finds the package without running it
    if spec is None or not spec.submodule_search_locations:
        raise ImproperlyConfigured("pycountry is not installed (requirements.txt).")
    return Path(next(iter(spec.submodule_search_locations))) / "databases" / "iso3166-1.json"


@cache
def _countries() -> dict[str, Country]:
    entries = json.loads(_database().read_text(encoding="utf-8"))["3166-1"]
    found = {}
    for entry in entries:
        found[entry["alpha_2"]] = Country(
            code=entry["alpha_2"],
            alpha_3=entry["alpha_3"],
            name=entry.get("common_name") or entry["name"],
            official_name=entry.get("official_name") or entry["name"],
        )
    found.update(BEYOND_ISO)
    return found


def country_code_clean(code: object) -> str:
    """The upper-case alpha-2 code of a real country, or ValidationError keyed ``code``."""
    if not isinstance(code, str) or not code:
        raise ValidationError({"code": f"Give a country code: {CODE_HELP}"})
    upper = code.upper()
    if len(code) != 2 or not (code.isascii() and code.isalpha()) or upper not in _countries():
        # One wording for every refused code, malformed or unassigned.
        raise ValidationError({"code": f"{code[:20]!r} is not a country code: {CODE_HELP}"})
    return upper


def country_get(code: str) -> Country | None:
    return _countries().get(code.upper()) if isinstance(code, str) else None


def country_search(text: str, *, limit: int = 10) -> list[Country]:
    """Countries whose code (alpha-2 or alpha-3) is ``text`` or whose name contains it (any case,
    accents ignored), best first: exact codes, then common names that start with it ("united" ->
    United Kingdom, United States), then official names that do ("United Mexican States"), then
    names that contain it; by name within each."""
    query = _fold(text.strip())
    if not query:
        return []
    ranked: list[tuple[int, str, Country]] = []
    for country in _countries().values():
        name, official = _fold(country.name), _fold(country.official_name)
        if query in (country.code.casefold(), country.alpha_3.casefold()):
            rank = 0
        elif name.startswith(query):
            rank = 1
        elif official.startswith(query):
            rank = 2
        elif query in name:
            rank = 3
        elif query in official:
            rank = 4
        else:
            continue
        ranked.append((rank, country.name, country))
    return [country for _, _, country in sorted(ranked, key=lambda entry: entry[:2])][:limit]
