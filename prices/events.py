"""Lambda handlers of prices.

``on_price_change`` is fed by the DynamoDB stream of ``latest-prices`` (NEW_AND_OLD_IMAGES): every
record of the batch (the original read only the first), REMOVE records and rises ignored, a drop
published once per week and region however often the stream delivers it (services.PriceDrop
ledger). ``core.aws.batch.batch_handler`` reports the first failing record so Lambda retries from it.
The drop is measured against the region's true previous week, carried on the item itself (the
old image is only whatever the table held before, which may be any older week).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from core.aws.batch import batch_handler, new_image
from prices.dynamo import LatestPriceItem
from prices.services import price_change_handle


@batch_handler
def on_price_change(record: dict[str, Any]) -> str | None:
    image = new_image(record)
    if image is None:
        return None
    item = LatestPriceItem.from_raw_data(image)
    return price_change_handle(
        region=item.region,
        week=date.fromisoformat(item.week),
        price=Decimal(item.price),
        previous_week=date.fromisoformat(item.previous_week) if item.previous_week else None,
        previous_price=Decimal(item.previous_price) if item.previous_price else None,
    )
