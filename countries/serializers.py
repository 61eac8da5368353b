"""API shapes of countries. The original's three endpoints keep its bodies (``message``; the status
list's ``fetched_country``, ``timestamp``, ``error``, ``success``) and add what was missing."""

from __future__ import annotations

from rest_framework import serializers

from core.web.strict import QueryIntegerField
from countries.models import FetchAttempt, FetchRequest
from countries.selectors import REGIONS, SORTS


class CountryErrorSerializer(serializers.Serializer):
    """The original's error body: a Chalice-style error name and a sentence."""

    Code = serializers.CharField(help_text="BadRequestError, NotFoundError, TooManyRequestsError, ...")
    Message = serializers.CharField()


class FetchAcceptedSerializer(serializers.Serializer):
    message = serializers.CharField(help_text="The original's sentence.")
    request_id = serializers.IntegerField()
    code = serializers.CharField()
    # Plain strings, not enums: "status" and "trigger" enums already exist in the schema (scraper).
    status = serializers.CharField(help_text='"queued", or "pending" while the queue is unreachable.')
    status_url = serializers.CharField(help_text="GET it for the fetch attempts of this country.")
    view_url = serializers.CharField(help_text="GET it for the stored document once the fetch is done.")


class AttemptStatusSerializer(serializers.Serializer):
    fetched_country = serializers.CharField(source="code")
    timestamp = serializers.DateTimeField(source="started_at", help_text="ISO 8601 with its UTC offset.")
    success = serializers.BooleanField()
    error = serializers.CharField(help_text='"" when it succeeded.')
    duration_ms = serializers.IntegerField()
    upstream_status = serializers.IntegerField(
        allow_null=True, help_text="REST Countries' HTTP status, if any."
    )


class FetchAttemptSerializer(serializers.ModelSerializer):
    class Meta:
        model = FetchAttempt
        fields = ["started_at", "duration_ms", "success", "error", "upstream_status"]
        read_only_fields = fields


STATUSES = ", ".join(FetchRequest.Status.values)
TRIGGERS = ", ".join(FetchRequest.Trigger.values)


class FetchRequestSerializer(serializers.ModelSerializer):
    status = serializers.CharField(read_only=True, help_text=f"One of {STATUSES}.")
    trigger = serializers.CharField(read_only=True, help_text=f"One of {TRIGGERS}.")
    finished = serializers.BooleanField(read_only=True, help_text="Done or failed: nothing more will change.")
    attempts = FetchAttemptSerializer(many=True, read_only=True)

    class Meta:
        model = FetchRequest
        fields = [
            "id",
            "code",
            "trigger",
            "status",
            "failure",
            "send_error",
            "created_at",
            "queued_at",
            "finished_at",
            "finished",
            "attempts",
        ]
        read_only_fields = fields


class CountryMatchSerializer(serializers.Serializer):
    code = serializers.CharField()
    alpha_3 = serializers.CharField()
    name = serializers.CharField()
    official_name = serializers.CharField()
    flag = serializers.CharField()


class CountriesIndexSerializer(serializers.Serializer):
    endpoints = serializers.DictField(
        child=serializers.CharField(),
        help_text="Path templates of the original's endpoints ({code} is alpha-2), and the fetches' URL.",
    )
    results = CountryMatchSerializer(many=True, help_text="Countries matching ?search= (code or name).")


class CountrySearchQuerySerializer(serializers.Serializer):
    search = serializers.CharField(
        required=False, allow_blank=True, max_length=100, help_text="A code (PY, PRY) or part of a name."
    )


# --- The caller's stored countries (browse and compare) ------------------------------------------

MAX_PAGE_SIZE = 100
# Plain strings checked by hand, not enums: a "region" enum exists in the schema already (prices).
REGIONS_TEXT = ", ".join(REGIONS)
SORTS_TEXT = ", ".join(SORTS)


class StoredCountriesQuerySerializer(serializers.Serializer):
    region = serializers.CharField(
        required=False, allow_blank=True, max_length=40, help_text=f"One of {REGIONS_TEXT}; empty: all."
    )
    sort = serializers.CharField(
        required=False, allow_blank=True, max_length=20, help_text=f"One of {SORTS_TEXT} (default name)."
    )
    page = QueryIntegerField(min_value=1, max_value=2**31 - 1, required=False, help_text="From 1.")
    page_size = QueryIntegerField(
        min_value=1, max_value=MAX_PAGE_SIZE, required=False, help_text=f"1-{MAX_PAGE_SIZE} (default 20)."
    )

    def validate_region(self, value: str) -> str:
        if value and value not in REGIONS:
            raise serializers.ValidationError(f"Not a region: choose one of {REGIONS_TEXT}.")
        return value

    def validate_sort(self, value: str) -> str:
        if value and value not in SORTS:
            raise serializers.ValidationError(f"Not a sort: choose one of {SORTS_TEXT}.")
        return value or "name"

    def validate(self, attrs):
        attrs.setdefault("region", "")
        attrs.setdefault("sort", "name")
        attrs.setdefault("page", 1)
        attrs.setdefault("page_size", 20)
        return attrs


class StoredCountrySerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    official_name = serializers.CharField()
    region = serializers.CharField()
    subregion = serializers.CharField()
    population = serializers.IntegerField(allow_null=True)
    fetched_at = serializers.DateTimeField(help_text="When its stored document was last fetched.")
    stale = serializers.BooleanField(help_text="Fetched longer ago than stale_after_hours.")
    refetching = serializers.BooleanField(help_text="A fetch of yours for it is in flight.")
    refetch_url = serializers.CharField(help_text="POST it to fetch the country again.")
    view_url = serializers.CharField(help_text="GET it for the stored document.")


class StoredCountriesPageSerializer(serializers.Serializer):
    count = serializers.IntegerField(help_text="Your stored countries matching the filter.")
    page = serializers.IntegerField()
    pages = serializers.IntegerField()
    next = serializers.CharField(allow_null=True)
    previous = serializers.CharField(allow_null=True)
    stale_after_hours = serializers.IntegerField(help_text="COUNTRIES_STALE_AFTER_HOURS.")
    results = StoredCountrySerializer(many=True)


class CompareQuerySerializer(serializers.Serializer):
    a = serializers.CharField(max_length=20, help_text="The first country's code (alpha-2), one of yours.")
    b = serializers.CharField(max_length=20, help_text="The second country's code, another of yours.")

    def _code(self, value: str) -> str:
        from django.core.exceptions import ValidationError as DjangoValidationError

        from countries.codes import country_code_clean

        try:
            return country_code_clean(value)
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.messages) from exc

    def validate_a(self, value: str) -> str:
        return self._code(value)

    def validate_b(self, value: str) -> str:
        return self._code(value)

    def validate(self, attrs):
        if attrs["a"] == attrs["b"]:
            raise serializers.ValidationError({"b": "Choose two different countries."})
        return attrs


class ComparedCountrySerializer(serializers.Serializer):
    code = serializers.CharField(source="country.code")
    name = serializers.CharField(source="country.name")
    official_name = serializers.CharField(source="card.official_name")
    flag = serializers.CharField(source="card.flag_emoji")
    capital = serializers.CharField(source="card.capital")
    region = serializers.CharField(source="card.region")
    subregion = serializers.CharField(source="card.subregion")
    population = serializers.IntegerField(source="card.population", allow_null=True)
    area = serializers.FloatField(source="card.area", allow_null=True, help_text="km².")
    languages = serializers.ListField(source="card.languages", child=serializers.CharField())
    currencies = serializers.ListField(source="card.currencies", child=serializers.CharField())
    borders = serializers.ListField(source="card.borders", child=serializers.CharField())
    timezones = serializers.ListField(source="card.timezones", child=serializers.CharField())
    landlocked = serializers.BooleanField(source="card.landlocked", allow_null=True)
    un_member = serializers.BooleanField(source="card.un_member", allow_null=True)
    map_url = serializers.CharField(source="card.map_url")
    fetched_at = serializers.DateTimeField(source="country.fetched_at")
    stale = serializers.BooleanField()


class CompareRowSerializer(serializers.Serializer):
    label = serializers.CharField()  # type: ignore[assignment]  # a field named label, not Field.label
    values = serializers.ListField(child=serializers.CharField(), help_text="a's and b's, as text.")


class CompareSerializer(serializers.Serializer):
    countries = ComparedCountrySerializer(many=True, help_text="a, then b.")
    rows = CompareRowSerializer(many=True, help_text="The comparison as a person reads it.")
