"""Prices objects for tests: reports (ORM), open-data rows and latest-price items."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import factory

from prices.models import PriceReport

MONDAY = date(2026, 11, 23)


class PriceReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PriceReport

    week = MONDAY
    region = "new_york_state"
    price = Decimal("3.500")


def weeks_back(n: int, *, newest: date = MONDAY) -> date:
    return newest - timedelta(weeks=n)


def row(week: date, **prices: str) -> dict[str, str]:
    """An open-data row: ``row(MONDAY, new_york_state="3.57", albany="3.61")``."""
    return {"date": f"{week.isoformat()}T00:00:00.000", **{f"{k}_average_gal": v for k, v in prices.items()}}


def latest_item(
    region: str, *, week: date, price: str, previous_week: date | None, previous_price: str | None
):
    from prices.dynamo import LatestPriceItem

    return LatestPriceItem(
        region,
        week=week.isoformat(),
        price=price,
        previous_week=previous_week.isoformat() if previous_week else None,
        previous_price=previous_price,
    )
