"""The API's JSON parser: DRF's, with a depth limit, so an odd body is a JSON 400, never a 500.

DRF's ``JSONParser`` turns a ``ValueError`` into a 400 but lets ``RecursionError`` escape: a body
nested ~1,000 deep (``[[[[...]]]]``) was an HTML 500 on every JSON endpoint. No body of the
product nests more than a few levels, so anything deeper than ``MAX_DEPTH`` is refused as
"nested too deeply" (checked without recursion), and a ``RecursionError`` of the decoder itself
is the same 400.
"""

from __future__ import annotations

from typing import Any

from rest_framework import parsers
from rest_framework.exceptions import ParseError

MAX_DEPTH = 32
TOO_DEEP = f"JSON parse error - nested more than {MAX_DEPTH} levels deep."


def depth_exceeds(value: Any, limit: int = MAX_DEPTH) -> bool:
    """Whether lists and objects nest more than ``limit`` deep in ``value`` (iteratively)."""
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        current, depth = stack.pop()
        if isinstance(current, dict):
            children: list[Any] = list(current.values())
        elif isinstance(current, list):
            children = current
        else:
            continue
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in children if isinstance(child, dict | list))
    return False


class JSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError as exc:
            raise ParseError(TOO_DEEP) from exc
        if depth_exceeds(data):
            raise ParseError(TOO_DEEP)
        return data
