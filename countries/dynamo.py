"""The countries' DynamoDB tables: one document per country, and the circuit breaker's shared state.

Access patterns (no request or schedule ever Scans):

====================================  ===============================================
access pattern                        how
====================================  ===============================================
the stored document of a country      ``countries`` GetItem cca2 (``/view-data/<code>/``)
store / replace a fetched document    ``countries`` PutItem cca2
the breaker's state                   ``circuit-breakers`` GetItem name (consistent)
count a failure / a success           ``circuit-breakers`` UpdateItem ADD (atomic)
====================================  ===============================================

Imported only where a function needs it (PynamoDB pulls in botocore): building the URL map and an
HTTP cold start that reads no document never load this module.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from pynamodb.attributes import Attribute, NumberAttribute, UnicodeAttribute, UTCDateTimeAttribute
from pynamodb.constants import MAP

from core.aws.dynamo import DynamoModel


def to_attribute_value(value: Any) -> dict[str, Any]:
    """A JSON value as a DynamoDB AttributeValue; numbers (floats included) are stored exactly, as
    decimal strings (boto3's TypeSerializer refuses floats; this is the same thing without boto3)."""
    if isinstance(value, bool):
        return {"BOOL": value}
    if value is None:
        return {"NULL": True}
    if isinstance(value, str):
        return {"S": value}
    if isinstance(value, int | Decimal):
        return {"N": str(value)}
    if isinstance(value, float):
        return {"N": repr(value)}
    if isinstance(value, list | tuple):
        return {"L": [to_attribute_value(item) for item in value]}
    if isinstance(value, dict):
        return {"M": {str(key): to_attribute_value(item) for key, item in value.items()}}
    raise TypeError(f"Cannot store {type(value).__name__} in a country document.")


def from_attribute_value(value: dict[str, Any]) -> Any:
    """The JSON value back: a number written without a point or exponent is an int, others Decimal."""
    ((kind, inner),) = value.items()
    if kind == "S" or kind == "BOOL":
        return inner
    if kind == "NULL":
        return None
    if kind == "N":
        return int(inner) if inner.lstrip("-").isdigit() else Decimal(inner)
    if kind == "L":
        return [from_attribute_value(item) for item in inner]
    if kind == "M":
        return {key: from_attribute_value(item) for key, item in inner.items()}
    raise TypeError(f"A country document holds no {kind} values.")


class DocumentAttribute(Attribute[dict]):
    """A whole JSON object as a DynamoDB map, numbers kept exact (Decimal, never float)."""

    attr_type = MAP

    def serialize(self, value: dict) -> dict[str, Any]:
        return {str(key): to_attribute_value(item) for key, item in value.items()}

    def deserialize(self, value: dict[str, Any]) -> dict:
        return {key: from_attribute_value(item) for key, item in value.items()}


class CountryItem(DynamoModel):
    """The REST Countries v3.1 document of one country, as last fetched."""

    class Meta:
        table_suffix = "countries"
        billing_mode = "PAY_PER_REQUEST"

    cca2 = UnicodeAttribute(hash_key=True)
    document = DocumentAttribute()
    fetched_at = UTCDateTimeAttribute()
    request_id = NumberAttribute()  # the FetchRequest that stored it


class BreakerStateItem(DynamoModel):
    """The state of one circuit breaker, shared by every Lambda instance (countries/breaker.py)."""

    class Meta:
        table_suffix = "circuit-breakers"
        billing_mode = "PAY_PER_REQUEST"
        connect_timeout_seconds = 2
        read_timeout_seconds = 3
        max_retry_attempts = 2

    name = UnicodeAttribute(hash_key=True)
    state = UnicodeAttribute(default="closed")
    failures = NumberAttribute(default=0)
    successes = NumberAttribute(default=0)
    opened_at = UTCDateTimeAttribute(null=True)
