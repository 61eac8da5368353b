"""What the country card shows, read from a stored v3.1 document (any field may be missing)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any


def _names(mapping: Any, key: str | None = None) -> list[str]:
    if not isinstance(mapping, dict):
        return []
    values = [value.get(key) if key and isinstance(value, dict) else value for value in mapping.values()]
    return [str(value) for value in values if value]


def _mapping(document: dict[str, Any], key: str) -> dict[str, Any]:
    value = document.get(key)
    return value if isinstance(value, dict) else {}


def country_card(document: dict[str, Any], *, local_flag: str | None = None) -> dict[str, Any]:
    """The card's fields; ``local_flag`` (the laptop's own copy of the flag) replaces the document's
    flagcdn.com image, which cannot load offline."""
    name = _mapping(document, "name")
    flags = _mapping(document, "flags")
    maps = _mapping(document, "maps")
    currencies = _mapping(document, "currencies")
    population = document.get("population")
    population = int(population) if isinstance(population, int | float | Decimal) else None
    return {
        "code": document.get("cca2", ""),
        "common_name": name.get("common", ""),
        "official_name": name.get("official", ""),
        "flag_emoji": document.get("flag", ""),
        "flag_png": local_flag if local_flag is not None else flags.get("png", ""),
        # A short alt: REST Countries' description runs to 14 lines, which a broken image spills into
        # the card; it stays available as the image's description (flag_description).
        "flag_alt": f"The flag of {name.get('common') or 'the country'}",
        "flag_description": flags.get("alt", ""),
        "capital": ", ".join(str(c) for c in document.get("capital") or []),
        "region": document.get("region", ""),
        "subregion": document.get("subregion", ""),
        "population": population,
        "population_text": f"{population:,}" if population is not None else "",  # 123,210,000
        "languages": _names(document.get("languages")),
        "currencies": [
            f"{value.get('name', code)} ({value['symbol']})"
            if isinstance(value, dict) and value.get("symbol")
            else (value.get("name", code) if isinstance(value, dict) else code)
            for code, value in currencies.items()
        ],
        "map_url": maps.get("openStreetMaps") or maps.get("googleMaps") or "",
        # For comparing two countries side by side.
        "area": _number(document.get("area")),
        "borders": [str(b) for b in document.get("borders") or [] if b],
        "timezones": [str(t) for t in document.get("timezones") or [] if t],
        "continents": [str(c) for c in document.get("continents") or [] if c],
        "landlocked": document.get("landlocked") if isinstance(document.get("landlocked"), bool) else None,
        "un_member": document.get("unMember") if isinstance(document.get("unMember"), bool) else None,
    }


def _number(value: Any) -> float | None:
    return float(value) if isinstance(value, int | float | Decimal) and not isinstance(value, bool) else None


def _yes_no(value: bool | None) -> str:
    return "" if value is None else ("Yes" if value else "No")


def country_comparison(first: dict[str, Any], second: dict[str, Any]) -> list[tuple[str, str, str]]:
    """Rows of (label, first's value, second's value) for two cards side by side, as text."""

    def area(card: dict[str, Any]) -> str:
        return f"{card['area']:,.0f} km²" if card["area"] is not None else ""

    def density(card: dict[str, Any]) -> str:
        if card["population"] is None or not card["area"]:
            return ""
        return f"{card['population'] / card['area']:,.1f} per km²"

    fields: list[tuple[str, Any]] = [
        ("Official name", lambda c: c["official_name"]),
        ("Capital", lambda c: c["capital"]),
        ("Region", lambda c: c["region"]),
        ("Subregion", lambda c: c["subregion"]),
        ("Population", lambda c: c["population_text"]),
        ("Area", area),
        ("Density", density),
        ("Languages", lambda c: ", ".join(c["languages"])),
        ("Currencies", lambda c: ", ".join(c["currencies"])),
        ("Borders", lambda c: ", ".join(c["borders"]) or ("None" if c["code"] else "")),
        ("Time zones", lambda c: ", ".join(c["timezones"])),
        ("Landlocked", lambda c: _yes_no(c["landlocked"])),
        ("UN member", lambda c: _yes_no(c["un_member"])),
    ]
    return [(label, value(first), value(second)) for label, value in fields]
