"""Optional: read the documents through a DAX cluster (the original put DAX in front of DynamoDB).

Off by default and not in the default zip. To turn it on:

1. add ``amazon-dax-client`` to requirements.in and re-lock (``make lock``); it is not shipped by
   default because the documents are small single-item reads that DynamoDB answers in single-digit
   milliseconds, and DAX forces the function into a VPC (an ENI at every cold start, the trade-off
   the original's README names);
2. create the cluster in the function's VPC, with the table ``<prefix>countries`` and the role's
   ``dax:GetItem`` permission, and let the function's security group reach port 8111 (or 9111 TLS);
3. set ``COUNTRIES_DAX_ENDPOINT=dax://my-cluster.xxxx.dax-clusters.<region>.amazonaws.com`` (in SSM
   or the stage's environment).

Then ``/view-data/<code>/`` reads through DAX (an item cache: eventually consistent, ~TTL 5 min by
default, the cluster's setting); writes still go to DynamoDB, which DAX's write-through does not
see, so a re-fetched document shows up when the cached item expires. Without the setting nothing
here is imported.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from core.aws.restore import on_restore
from core.contract.naming import resource_name


@cache
def _dax_client(endpoint: str) -> Any:
    try:
        from amazondax import AmazonDaxClient  # type: ignore[import-not-found]
    except ImportError as exc:
        raise ImproperlyConfigured(
            "COUNTRIES_DAX_ENDPOINT is set but amazon-dax-client is not installed: add it to requirements.in."
        ) from exc
    return AmazonDaxClient(endpoint_url=endpoint, region_name=settings.AWS_REGION)


on_restore(_dax_client.cache_clear)  # a SnapStart copy builds its own client


def document_get(code: str) -> dict[str, Any] | None:
    """The stored document of ``code`` read through DAX (same shapes as DynamoDB's GetItem)."""
    from countries.dynamo import from_attribute_value

    answer = _dax_client(settings.COUNTRIES_DAX_ENDPOINT).get_item(
        TableName=resource_name("countries"), Key={"cca2": {"S": code}}
    )
    item = answer.get("Item")
    return from_attribute_value(item["document"]) if item else None
