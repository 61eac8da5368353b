"""NY gasoline prices by region, with email alerts on drops (seed 002, the gas price notifier).

The flow
--------
1. ``manage.py fetch_prices`` (weekly: ``fetch-prices`` in zappa_settings.json) asks NY Open Data
   (dataset wuxr-ni2i, ``prices/clients.py``) for the weeks after the newest stored one, reads the
   whole answer (``parsing.py``: sorted by date, bad cells skipped and counted), stores every
   (week, region) as a ``PriceReport`` in one transaction, and writes each region's latest week,
   with its true previous week from the database, as a ``LatestPriceItem`` (forwards only).
2. The table's stream (NEW_AND_OLD_IMAGES) feeds ``events.on_price_change``: a drop is published
   once per week and region to the SNS topic ``price-drops`` with the attributes ``region`` and
   ``drop_cents`` (the ``PriceDrop`` ledger makes redeliveries publish nothing).
3. Each ``Subscription`` is an SNS subscription whose filter policy holds its regions and minimum
   drop: SNS itself picks the recipients. On the laptop the endpoint is an SQS queue per
   subscription, and ``/sandbox/prices/outbox/`` shows what arrived (``notify.py``).

DynamoDB access patterns (no Scan anywhere)
-------------------------------------------
=====================================  ==================================================
access pattern                         how
=====================================  ==================================================
write a region's latest week           PutItem region, conditional on an older ``week``
read the latest prices                 BatchGetItem of the 17 regions (tests, restore)
=====================================  ==================================================
"""
