"""Reading the open-data answer: rows of ``{"date": ..., "<region>_average_gal": "3.57", ...}``.

Never trusts the answer's order (the original took element [0] of an unordered answer): rows are
sorted by date here. A missing region field is no report (Socrata omits empty cells, and the
regions began in 2016); a present but empty, non-numeric or implausible price is skipped and
counted, as is a row whose date cannot be read. The same week twice keeps the last one seen.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from prices import regions

# Plausible US retail prices per gallon; anything outside is a broken cell, not a price.
MIN_PRICE = Decimal("0.100")
MAX_PRICE = Decimal("20.000")


class UnreadableAnswer(ValueError):
    """The answer is not a list of rows: nothing of it is stored."""


@dataclass
class ParsedRows:
    # (week, region) -> price
    prices: dict[tuple[date, str], Decimal] = field(default_factory=dict)
    rows: int = 0
    skipped: int = 0

    @property
    def weeks(self) -> list[date]:
        """The weeks read, newest first."""
        return sorted({week for week, _ in self.prices}, reverse=True)


def parse_week(value: Any) -> date | None:
    """``"2017-03-27T00:00:00.000"`` (or a bare ``"2017-03-27"``) -> date; anything else None."""
    if not isinstance(value, str) or len(value) < 10:
        return None
    try:
        return datetime.fromisoformat(value).date() if "T" in value else date.fromisoformat(value)
    except ValueError:
        return None


def parse_price(value: Any) -> Decimal | None:
    """``"3.57"`` -> Decimal("3.570"); empty, non-numeric, non-finite or implausible -> None."""
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        return None
    try:
        price = Decimal(str(value).strip())
    except InvalidOperation:
        return None
    if not price.is_finite() or not MIN_PRICE <= price <= MAX_PRICE:
        return None
    return price.quantize(Decimal("0.001"))


def parse_rows(answer: Any) -> ParsedRows:
    if not isinstance(answer, list):
        raise UnreadableAnswer(f"The answer is a JSON {type(answer).__name__}, not a list of rows.")
    parsed = ParsedRows(rows=len(answer))
    dated = []
    for row in answer:
        week = parse_week(row.get("date")) if isinstance(row, dict) else None
        if week is None:
            parsed.skipped += 1
            continue
        dated.append((week, row))
    dated.sort(key=lambda pair: pair[0])
    for week, row in dated:
        for region in regions.REGIONS:
            name = regions.field_of(region)
            if name not in row:
                continue
            price = parse_price(row[name])
            if price is None:
                parsed.skipped += 1
                continue
            parsed.prices[(week, region)] = price
    return parsed
