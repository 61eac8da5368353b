"""Hot items of prices in DynamoDB: the latest price of each region.

One item per region (hash key ``region``): the newest week stored, its price, and the region's true
previous week and price (the newest earlier week with a price for that region, from the database,
never from the table's arbitrary order). The table's stream (``NEW_AND_OLD_IMAGES``) feeds
``prices.events.on_price_change``, which publishes drops.

Written only forwards: the PutItem is conditional on the stored week being older (or absent), so a
refetch, a restore or two fetches at once never emit a record for a week already written.
Reads are GetItem/BatchGetItem by region; nothing Scans.
"""

from __future__ import annotations

from pynamodb.attributes import UnicodeAttribute, UTCDateTimeAttribute

from core.aws.dynamo import DynamoModel


class LatestPriceItem(DynamoModel):
    class Meta:
        table_suffix = "latest-prices"
        billing_mode = "PAY_PER_REQUEST"
        stream_view_type = "NEW_AND_OLD_IMAGES"

    region = UnicodeAttribute(hash_key=True)
    week = UnicodeAttribute()  # ISO date: compares in date order
    # Decimal strings ("3.57"): prices are exact, never floats.
    price = UnicodeAttribute()
    previous_week = UnicodeAttribute(null=True)
    previous_price = UnicodeAttribute(null=True)
    updated_at = UTCDateTimeAttribute(null=True)
