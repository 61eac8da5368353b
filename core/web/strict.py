"""Strict JSON input for the API: a value of the wrong JSON type is refused, never coerced.

DRF's fields are lenient for HTML forms: ``CharField`` takes ``0`` as ``"0"``, ``IntegerField``
takes ``"12"`` and ``12.0``, ``BooleanField`` takes ``"yes"`` and ``1``. The published schema says
``string`` / ``integer`` / ``boolean``, and a client that sends something else has a bug worth a
400 (the schemathesis gate sends exactly such values). Use these in input serializers; form data
(the browsable API's HTML forms) still arrives as strings and is parsed as DRF does.

Also the page number of paginated lists: ``?page=`` or ``?page=x`` is a 404 like any page past
the end, not silently the first page.
"""

from __future__ import annotations

from typing import Any

from rest_framework import fields
from rest_framework.exceptions import NotFound
from rest_framework.pagination import PageNumberPagination


def _from_json(field: fields.Field) -> bool:
    """True unless the value came from an HTML form (QueryDict), where everything is a string."""
    parent: Any = field
    while parent is not None:
        initial = getattr(parent, "initial_data", None)
        if initial is not None:
            return not hasattr(initial, "getlist")
        parent = getattr(parent, "parent", None)
    return True


class StrictCharField(fields.CharField):
    """A string, never a number made into one; its ``max_length`` holds for the text as sent, as the
    schema's ``maxLength`` says (DRF checks it after trimming the surrounding whitespace, so 100
    characters plus a leading space passed a field published with ``maxLength: 100``)."""

    default_error_messages = {"invalid": "Not a string."}

    def to_internal_value(self, data: Any) -> Any:
        if not isinstance(data, str):
            self.fail("invalid")
        if self.max_length is not None and len(data) > self.max_length:
            self.fail("max_length", max_length=self.max_length)
        return super().to_internal_value(data)


class StrictIntegerField(fields.IntegerField):
    default_error_messages = {"invalid": "Not a whole number."}

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, bool) or (
            not isinstance(data, int) and (_from_json(self) or not isinstance(data, str))
        ):
            self.fail("invalid")
        return super().to_internal_value(data)


class QueryIntegerField(fields.IntegerField):
    """A whole number in the query string, where an empty value (``?page_size=``) is refused.

    DRF reads an empty query value of an optional field as "not given"; the schema says integer,
    and an empty string is not one (the schemathesis gate sends exactly that).
    """

    default_error_messages = {"invalid": "Not a whole number."}

    def get_value(self, dictionary: Any) -> Any:
        if self.field_name in dictionary and dictionary.get(self.field_name) == "":
            return ""
        return super().get_value(dictionary)


class StrictBooleanField(fields.BooleanField):
    default_error_messages = {"invalid": "Not true or false."}

    def to_internal_value(self, data: Any) -> Any:
        if not isinstance(data, bool) and (_from_json(self) or not isinstance(data, str)):
            self.fail("invalid")
        return super().to_internal_value(data)


class StrictPageNumberPagination(PageNumberPagination):
    """DRF's page numbers, refusing a page number that is not one (404, as for a page past the end)."""

    def get_page_number(self, request: Any, paginator: Any) -> Any:
        raw = request.query_params.get(self.page_query_param)
        if raw is not None and raw not in self.last_page_strings and not (raw.isascii() and raw.isdigit()):
            raise NotFound("Invalid page: a page number is a whole number from 1.")
        return super().get_page_number(request, paginator)
