"""The 58 real REST Countries v3.1 documents the sandbox serves (SOURCES.txt: origin, MPL-2.0)."""

from __future__ import annotations

import copy
import gzip
import json
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

DATA = Path(__file__).with_name("restcountries-v3.1.json.gz")


@cache
def _documents_text() -> dict[str, str]:
    documents = json.loads(gzip.decompress(DATA.read_bytes()))
    return {document["cca2"]: json.dumps(document, ensure_ascii=False) for document in documents}


def codes() -> list[str]:
    return sorted(_documents_text())


def document_json(code: str) -> str | None:
    """The document of ``code`` as REST Countries writes it (JSON text), or None."""
    return _documents_text().get(code.upper())


def document(code: str) -> dict[str, Any] | None:
    """The document as the worker reads it (numbers as Decimal), or None."""
    text = document_json(code)
    return copy.deepcopy(json.loads(text, parse_float=Decimal)) if text else None
