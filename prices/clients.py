"""The NY Open Data (Socrata) client: dataset wuxr-ni2i, gasoline retail prices by region.

Through ``core.http.UpstreamClient`` (timeouts, bounded retries with backoff, errors a person can
read). Asks for the newest rows first (``$order=date DESC``) with a ``$limit``, and only the weeks
after the newest stored one when there is one (``$where=date > '...'``).
"""

from __future__ import annotations

from datetime import date
from functools import cache
from typing import Any

from django.conf import settings

from core.http import UpstreamClient


@cache
def _client(base_url: str) -> UpstreamClient:
    return UpstreamClient(name="NY Open Data", base_url=base_url)


def client() -> UpstreamClient:
    return _client(settings.NY_OPEN_DATA_BASE_URL or f"{settings.SANDBOX_BASE_URL}/prices")


def price_rows_fetch(*, after: date | None, limit: int, offset: int = 0) -> Any:
    """The decoded JSON answer (not checked here: prices.parsing reads it). Raises UpstreamError."""
    params = {"$order": "date DESC", "$limit": str(limit)}
    if offset:
        params["$offset"] = str(offset)
    if after is not None:
        params["$where"] = f"date > '{after.isoformat()}T00:00:00.000'"
    return client().get_json(settings.PRICES_DATASET_PATH, params=params)
