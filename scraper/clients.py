"""Fetching the page to scrape, through ``core.http.UpstreamClient``, guarded against request forgery.

A scrape fetches a URL a user typed, from inside the product's network: without a guard, anybody
could make the function read its own cloud metadata (169.254.169.254), a database port or an
internal admin page. So, before every request (the first and each redirect, followed by hand):

* only ``http`` and ``https``, no user name or password in the URL;
* the host's addresses (every one DNS gives) must be public, unless they are inside
  ``SCRAPER_ALLOWED_NETWORKS`` (empty on Lambda; everything on the laptop stages, where the sandbox
  stand-in is served on 127.0.0.1): private, loopback, link-local, shared, reserved, multicast and
  unspecified addresses are refused;
* at most ``MAX_REDIRECTS`` redirects, and the body is read in chunks and given up on past
  ``SCRAPER_MAX_PAGE_BYTES`` (also refused early when ``Content-Length`` says so).

Known limit: the address is checked just before the request, and the HTTP library resolves the name
again when it connects; a name whose DNS answer changes in between (DNS rebinding) could slip a
refused address through. Pinning the connection to the checked address would close it.

Timeouts, bounded retries with backoff and readable errors are UpstreamClient's; one deadline
(``UPSTREAM_TIMEOUT_SECONDS``) covers the whole fetch, redirects and the body included.
"""

from __future__ import annotations

import codecs
import ipaddress
import re
import socket
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any
from urllib.parse import urljoin, urlsplit

from django.conf import settings

from core.http import UpstreamClient, UpstreamError

MAX_REDIRECTS = 5
REDIRECTS = frozenset({301, 302, 303, 307, 308})
_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-:.]+)""", re.IGNORECASE)
Resolver = Callable[..., list[tuple[Any, ...]]]


class FetchRefused(ValueError):
    """The URL (or a redirect) may not be fetched; ``str(exc)`` says why, for the user."""


@dataclass(frozen=True)
class Page:
    url: str  # after redirects
    status: int
    text: str
    size: int  # bytes as received


@cache
def page_client() -> UpstreamClient:
    """One client (one connection pool) for the pages scraped by this process."""
    return UpstreamClient(
        name="The movies page",
        base_url="",
        # Pages are scraped now and then, from anywhere: no idle connection is kept for the next one.
        headers={"Accept": "text/html,application/xhtml+xml;q=0.9,*/*;q=0.5", "Connection": "close"},
    )


def _allowed_networks() -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    networks = []
    for text in settings.SCRAPER_ALLOWED_NETWORKS:
        networks.append(ipaddress.ip_network(text, strict=False))
    return networks


def _kind(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> str | None:
    """Why an address may not be scraped ("loopback", "private"...), or None for a public one."""
    checks = (
        ("unspecified", address.is_unspecified),
        ("loopback", address.is_loopback),
        ("link-local", address.is_link_local),
        ("private", address.is_private),
        ("multicast", address.is_multicast),
        ("reserved", address.is_reserved),
    )
    for kind, refused in checks:
        if refused:
            return kind
    return None if address.is_global else "non-public"


def address_refusal(address_text: str) -> str | None:
    """Why ``address_text`` may not be reached (a sentence fragment), or None if it may."""
    address = ipaddress.ip_address(address_text.split("%", 1)[0])
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    if any(address in network for network in _allowed_networks()):
        return None
    kind = _kind(address)
    if kind is None:
        return None
    return f"{address} is {'an' if kind[0] in 'aeiou' else 'a'} {kind} address"


def url_parts(url: str) -> tuple[str, str, int]:
    """(scheme, host, port) of a URL that may be scraped; FetchRefused for any other URL."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError as exc:
        raise FetchRefused(f"That is not a valid URL ({exc}).") from exc
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        shown = f"{scheme}:" if scheme else "no scheme"
        raise FetchRefused(f"Only http:// and https:// pages can be scraped ({shown} given).")
    if parts.username is not None or parts.password is not None:
        raise FetchRefused("A URL with a user name or password cannot be scraped.")
    host = parts.hostname
    if not host:
        raise FetchRefused("The URL names no host.")
    return scheme, host, port or (443 if scheme == "https" else 80)


def url_check_literal(url: str) -> None:
    """The checks that need no DNS (for a form or an API request): scheme, host, a literal address."""
    _, host, _ = url_parts(url)
    try:
        refusal = address_refusal(host)
    except ValueError:
        return  # a name, resolved and checked when the page is fetched
    if refusal:
        raise FetchRefused(f"Scraping {host} is not allowed: {refusal}.")


def url_check(url: str, *, resolve: Resolver = socket.getaddrinfo) -> None:
    """Every check, including the addresses the host resolves to now; FetchRefused or UpstreamError."""
    _, host, port = url_parts(url)
    try:
        answers = resolve(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise UpstreamError(f"The host {host} could not be found.", upstream=host) from exc
    for *_, sockaddr in answers:
        refusal = address_refusal(str(sockaddr[0]))
        if refusal:
            raise FetchRefused(f"Scraping {host} is not allowed: {refusal}.")


def _encoding(content_type: str, head: bytes) -> str:
    """The page's encoding: its Content-Type charset, else a <meta charset>, else UTF-8."""
    found = re.search(r"charset\s*=\s*\"?([A-Za-z0-9_\-:.]+)", content_type or "", re.IGNORECASE)
    candidate = found.group(1) if found else None
    if candidate is None:
        meta = _CHARSET.search(head)
        candidate = meta.group(1).decode("ascii", "replace") if meta else None
    try:
        return codecs.lookup(candidate).name if candidate else "utf-8"
    except LookupError:
        return "utf-8"


def _too_big(limit: int) -> UpstreamError:
    return UpstreamError(
        f"The page is larger than {limit:,} bytes (SCRAPER_MAX_PAGE_BYTES): not scraped.",
        upstream="The movies page",
    )


def page_fetch(url: str, *, resolve: Resolver = socket.getaddrinfo) -> Page:
    """GET the page at ``url`` (redirects followed and re-checked); FetchRefused or UpstreamError."""
    limit = settings.SCRAPER_MAX_PAGE_BYTES
    client = page_client()
    deadline = client.deadline()  # one for the whole fetch: every redirect and the whole body
    current = url.strip()
    for _ in range(MAX_REDIRECTS + 1):
        url_check(current, resolve=resolve)
        response = client.request("GET", current, allow_redirects=False, stream=True, deadline=deadline)
        try:
            if response.status_code in REDIRECTS and response.headers.get("Location"):
                current = urljoin(current, response.headers["Location"])
                continue
            declared = response.headers.get("Content-Length", "")
            if declared.isdigit() and int(declared) > limit:
                raise _too_big(limit)
            body = bytearray()
            for chunk in client.iter_body(response, deadline=deadline):
                body += chunk
                if len(body) > limit:
                    raise _too_big(limit)
        finally:
            response.close()
        encoding = _encoding(response.headers.get("Content-Type", ""), bytes(body[:2048]))
        return Page(
            url=current,
            status=response.status_code,
            text=bytes(body).decode(encoding, errors="replace"),
            size=len(body),
        )
    raise UpstreamError(f"The page redirected more than {MAX_REDIRECTS} times.", upstream="The movies page")
