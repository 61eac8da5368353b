"""The tracker's DynamoDB tables: each order's latest state (the hot item) and the ledger of texts.

* ``OrderStateItem`` (``order-states``, key: the order id): what the last poll saw, written by
  every poll run (a BatchWriteItem per 25 orders); the pages and the API read it with GetItem /
  BatchGetItem for "last checked". Rebuilt from the database by ``order_states_restore``.
* ``TextLedgerItem`` (``order-texts``, key: order id + ledger key, a stage code or
  ``token-expired``): one item per text that may ever be sent. A send first *claims* it with a
  conditional write (PutItem if it does not exist, or UpdateItem from ``failed`` back to
  ``sending``): only one poll run, overlapping or retried, wins the claim, so each text is sent
  once. The Twilio message SID is recorded after the send; a send Twilio refused is ``failed`` and
  claimed again on the next poll; one whose answer never came (a timeout: Twilio may have sent
  it) is ``unknown`` and never sent again.

Imported only where a poll or a page needs it (PynamoDB pulls in botocore).
"""

from __future__ import annotations

from pynamodb.attributes import NumberAttribute, UnicodeAttribute, UTCDateTimeAttribute

from core.aws.dynamo import DynamoModel


class OrderStateItem(DynamoModel):
    class Meta:
        table_suffix = "order-states"
        billing_mode = "PAY_PER_REQUEST"

    order_id = UnicodeAttribute(hash_key=True)
    owner = UnicodeAttribute()
    tracking = UnicodeAttribute()
    stage = UnicodeAttribute(null=True)
    stage_at = UTCDateTimeAttribute(null=True)
    polled_at = UTCDateTimeAttribute(null=True)
    failed_polls = NumberAttribute(default=0)
    last_error = UnicodeAttribute(null=True)


class TextLedgerItem(DynamoModel):
    SENDING, SENT, FAILED, UNKNOWN = "sending", "sent", "failed", "unknown"

    class Meta:
        table_suffix = "order-texts"
        billing_mode = "PAY_PER_REQUEST"

    order_id = UnicodeAttribute(hash_key=True)
    key = UnicodeAttribute(range_key=True)  # a stage code, or "token-expired"
    status = UnicodeAttribute()
    body = UnicodeAttribute()
    attempts = NumberAttribute(default=1)
    claimed_at = UTCDateTimeAttribute()
    claim = UnicodeAttribute()  # the poll run holding the claim
    sent_at = UTCDateTimeAttribute(null=True)
    message_sid = UnicodeAttribute(null=True)
    error = UnicodeAttribute(null=True)
