"""REST Countries (``REST_COUNTRIES_BASE_URL`` + ``COUNTRIES_UPSTREAM_PATH`` + code), through
``core.http.UpstreamClient``: connect and read timeouts, bounded retries with backoff, and an
``UpstreamError`` whose message a person can read.

The live ``/v3.1/alpha/<code>`` answers a one-element array; the first element is the document.
Numbers are read as ``Decimal`` (DynamoDB stores them exactly; no float rounding on the way).
"""

from __future__ import annotations

import json
from decimal import Decimal
from functools import cache
from typing import Any

from django.conf import settings

from core.http import UpstreamClient, UpstreamError

NAME = "REST Countries"


@cache
def _client(base_url: str) -> UpstreamClient:
    return UpstreamClient(name=NAME, base_url=base_url)


def document_path(code: str) -> str:
    """The path of ``code``'s document under the base URL: ``v3.1/alpha/PY``."""
    path = settings.COUNTRIES_UPSTREAM_PATH.strip("/")
    return f"{path}/{code}" if path else code


def base_url() -> str:
    """REST_COUNTRIES_BASE_URL, or on the laptop (unset) the sandbox stand-in of this server."""
    return settings.REST_COUNTRIES_BASE_URL or f"{settings.SANDBOX_BASE_URL}/countries"


def country_document_fetch(code: str) -> dict[str, Any]:
    """The v3.1 document of ``code`` (upper case); UpstreamError when it cannot be had."""
    client = _client(base_url())
    response = client.request("GET", document_path(code))
    try:
        body = json.loads(response.content, parse_float=Decimal)
    except ValueError as exc:
        raise UpstreamError(f"{NAME} answered something that is not JSON.", upstream=NAME) from exc
    document = body[0] if isinstance(body, list) and body else body
    if not isinstance(document, dict) or not isinstance(document.get("cca2"), str):
        raise UpstreamError(f"{NAME} answered JSON that is not a country document.", upstream=NAME)
    if document["cca2"].upper() != code:
        raise UpstreamError(f"{NAME} answered the document of {document['cca2']} for {code}.", upstream=NAME)
    return document
