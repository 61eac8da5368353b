"""Reads of prices. Public data (the reports) is everybody's; subscriptions are the caller's own.

Query counts do not grow with the history: the latest table reads the newest week and the weeks
just before it (a window of ``LATEST_WINDOW_WEEKS``), falling back to one indexed query per region
only for a region with no earlier week in that window; the chart reads two regions' weeks of its
range (one year, five, or all) in one query.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db.models import Max, QuerySet

from prices import regions
from prices.models import OutboxEmail, PriceDrop, PriceFetch, PriceReport, Subscription

if TYPE_CHECKING:
    from accounts.models import User

LATEST_WINDOW_WEEKS = 12
CHART_WEEKS = 52


@dataclass(frozen=True)
class LatestPrice:
    """A region's newest week and its true previous week (the newest earlier one with a price)."""

    region: str
    week: date
    price: Decimal
    previous_week: date | None
    previous_price: Decimal | None

    @property
    def label(self) -> str:
        return regions.label_of(self.region)

    @property
    def change(self) -> Decimal | None:
        if self.previous_price is None:
            return None
        return self.price - self.previous_price

    @property
    def change_cents(self) -> Decimal | None:
        change = self.change
        return None if change is None else (change * 100).quantize(Decimal("0.1"))


def price_report_list(
    *, region: str | None = None, start: date | None = None, end: date | None = None
) -> QuerySet[PriceReport]:
    """Reports newest week first (regions in their order within a week), filtered."""
    reports = PriceReport.objects.all()
    if region:
        reports = reports.filter(region=region)
    if start:
        reports = reports.filter(week__gte=start)
    if end:
        reports = reports.filter(week__lte=end)
    return reports.order_by("-week", "region")


def price_newest_week() -> date | None:
    return PriceReport.objects.aggregate(newest=Max("week"))["newest"]


def price_week_row(week: date | None = None) -> dict[str, str] | None:
    """The stored prices of ``week`` (default: the newest) as an open-data row, or None."""
    week = week or price_newest_week()
    if week is None:
        return None
    row = {"date": f"{week.isoformat()}T00:00:00.000"}
    for region, price in PriceReport.objects.filter(week=week).values_list("region", "price"):
        row[regions.field_of(region)] = f"{price:.2f}"
    return row


def price_latest_list() -> list[LatestPrice]:
    """Every region's latest price and week-over-week change, in the regions' order."""
    newest = price_newest_week()
    if newest is None:
        return []
    since = newest - timedelta(weeks=LATEST_WINDOW_WEEKS)
    by_region: dict[str, list[PriceReport]] = {}
    for report in PriceReport.objects.filter(week__gt=since).order_by("region", "-week"):
        by_region.setdefault(report.region, []).append(report)
    latest = []
    for region in regions.REGIONS:
        reports = by_region.get(region)
        if not reports:
            continue  # no price in the last weeks: not the latest table's business
        previous = reports[1] if len(reports) > 1 else None
        if previous is None:
            previous = (
                PriceReport.objects.filter(region=region, week__lt=reports[0].week).order_by("-week").first()
            )
        latest.append(
            LatestPrice(
                region=region,
                week=reports[0].week,
                price=reports[0].price,
                previous_week=previous.week if previous else None,
                previous_price=previous.price if previous else None,
            )
        )
    return latest


def price_week_drop_regions(*, week: date) -> set[str]:
    """The regions whose ``week`` price is lower than their true previous week's (the newest
    earlier week with a price), from the stored reports: the drops the stream reports for it."""
    this_week = dict(PriceReport.objects.filter(week=week).values_list("region", "price"))
    if not this_week:
        return set()
    since = week - timedelta(weeks=LATEST_WINDOW_WEEKS)
    previous: dict[str, Decimal] = {}
    earlier = PriceReport.objects.filter(region__in=this_week, week__lt=week, week__gte=since)
    for region, price in earlier.order_by("region", "-week").values_list("region", "price"):
        previous.setdefault(region, price)
    for region in set(this_week) - set(previous):
        report = PriceReport.objects.filter(region=region, week__lt=week).order_by("-week").first()
        if report is not None:
            previous[region] = report.price
    return {region for region, price in this_week.items() if region in previous and price < previous[region]}


def price_chart_series(
    *, region: str, weeks: int | None = CHART_WEEKS
) -> dict[str, list[tuple[date, Decimal]]]:
    """The state average's and ``region``'s prices over the newest ``weeks`` weeks (None: every
    week stored), oldest first: two queries whatever the range."""
    newest = price_newest_week()
    shown = [regions.STATE] if region == regions.STATE else [regions.STATE, region]
    series: dict[str, list[tuple[date, Decimal]]] = {name: [] for name in shown}
    if newest is None:
        return series
    rows = PriceReport.objects.filter(region__in=shown).order_by("week")
    if weeks is not None:
        rows = rows.filter(week__gt=newest - timedelta(weeks=weeks))
    for week, name, price in rows.values_list("week", "region", "price"):
        series[name].append((week, price))
    return series


def subscription_list(*, owner: User) -> QuerySet[Subscription]:
    return Subscription.objects.filter(owner=owner).order_by("-created_at", "-id")


def subscription_get(*, owner: User, pk: int) -> Subscription:
    return Subscription.objects.get(owner=owner, pk=pk)


def price_drop_recent(*, limit: int = 10) -> tuple[list[PriceDrop], int]:
    """The newest week's ``limit`` largest drops, largest first, and how many drops that week had."""
    newest = PriceDrop.objects.order_by("-week").values_list("week", flat=True).first()
    if newest is None:
        return [], 0
    week = list(PriceDrop.objects.filter(week=newest))  # one row per region at most
    week.sort(key=lambda drop: (-drop.drop_cents, drop.region))  # exact decimals, not SQLite's floats
    return week[:limit], len(week)


def price_fetch_last() -> PriceFetch | None:
    return PriceFetch.objects.order_by("-started_at", "-id").first()


def outbox_list(*, viewer: User, limit: int = 100) -> list[OutboxEmail]:
    """The local outbox as ``viewer`` may see it: staff every email, anybody else the emails sent
    for their own subscriptions."""
    emails = OutboxEmail.objects.order_by("-received_at", "-id")
    if not viewer.is_staff:
        emails = emails.filter(owner=viewer)
    return list(emails[:limit])
