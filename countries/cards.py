"""What the country card shows, read from a stored v3.1 document (any field may be missing)."""

from __future__ import annotations

from typing import Any


def _names(mapping: Any, key: str | None = None) -> list[str]:
    if not isinstance(mapping, dict):
        return []
    values = [value.get(key) if key and isinstance(value, dict) else value for value in mapping.values()]
    return [str(value) for value in values if value]


def country_card(document: dict[str, Any]) -> dict[str, Any]:
    name = document.get("name") if isinstance(document.get("name"), dict) else {}
    flags = document.get("flags") if isinstance(document.get("flags"), dict) else {}
    maps = document.get("maps") if isinstance(document.get("maps"), dict) else {}
    currencies = document.get("currencies") if isinstance(document.get("currencies"), dict) else {}
    population = document.get("population")
    return {
        "code": document.get("cca2", ""),
        "common_name": name.get("common", ""),
        "official_name": name.get("official", ""),
        "flag_emoji": document.get("flag", ""),
        "flag_png": flags.get("png", ""),
        "flag_alt": flags.get("alt") or f"The flag of {name.get('common', 'the country')}",
        "capital": ", ".join(str(c) for c in document.get("capital") or []),
        "region": document.get("region", ""),
        "subregion": document.get("subregion", ""),
        "population": int(population)
        if isinstance(population, int | float) or hasattr(population, "to_integral")
        else None,
        "languages": _names(document.get("languages")),
        "currencies": [
            f"{value.get('name', code)} ({value['symbol']})"
            if isinstance(value, dict) and value.get("symbol")
            else (value.get("name", code) if isinstance(value, dict) else code)
            for code, value in currencies.items()
        ],
        "map_url": maps.get("openStreetMaps") or maps.get("googleMaps") or "",
    }
