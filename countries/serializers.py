"""API shapes of countries. The original's three endpoints keep its bodies (``message``; the status
list's ``fetched_country``, ``timestamp``, ``error``, ``success``) and add what was missing."""

from __future__ import annotations

from rest_framework import serializers

from countries.models import FetchAttempt, FetchRequest


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
