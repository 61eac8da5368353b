"""API shapes of routines. Input serializers only parse; the services decide what is valid."""

from __future__ import annotations

import re

from rest_framework import serializers

from core.strict import StrictBooleanField, StrictCharField, StrictIntegerField
from routines.models import Routine, RoutineItem


class IsoDateField(serializers.DateField):
    """A calendar date written exactly ``YYYY-MM-DD`` (one spelling per day: it is a DynamoDB key)."""

    default_error_messages = {"invalid": "Use a date written YYYY-MM-DD, e.g. 2026-03-01."}
    PATTERN = re.compile(r"\d{4}-\d{2}-\d{2}")

    def get_value(self, dictionary):
        # DRF reads an empty query value (``?end=``) of an optional field as "not given"; it is a
        # date written wrong, and refused like any other.
        if self.field_name in dictionary and dictionary.get(self.field_name) == "":
            return ""
        return super().get_value(dictionary)

    def to_internal_value(self, value):
        if not isinstance(value, str) or not self.PATTERN.fullmatch(value):
            self.fail("invalid")
        return super().to_internal_value(value)


class RoutineItemSerializer(serializers.ModelSerializer):
    class Meta:
        model = RoutineItem
        fields = ["id", "text", "position"]
        read_only_fields = ["id", "position"]


class RoutineSerializer(serializers.ModelSerializer):
    """A routine as read: its items in order."""

    items = RoutineItemSerializer(many=True, read_only=True)

    class Meta:
        model = Routine
        fields = ["id", "name", "description", "position", "items", "created_at", "updated_at"]
        read_only_fields = fields


class RoutineCreateSerializer(serializers.Serializer):
    """A new routine, in the original app's shape: ``{"name", "description", "items": ["Shower", ...]}``."""

    name = StrictCharField(max_length=100, help_text="Unique among your routines, whatever the case.")
    description = StrictCharField(max_length=1000, required=False, allow_blank=True, default="")
    items = serializers.ListField(
        child=StrictCharField(max_length=200), required=False, default=list, max_length=200
    )


class RoutineUpdateSerializer(serializers.Serializer):
    """Rename a routine or change its description (items have their own endpoints)."""

    name = StrictCharField(
        max_length=100, required=False, help_text="Unique among your routines, whatever the case."
    )
    description = StrictCharField(max_length=1000, required=False, allow_blank=True)


class RoutineReplaceSerializer(RoutineUpdateSerializer):
    """PUT: the routine's name (required) and description."""

    name = StrictCharField(max_length=100, help_text="Unique among your routines, whatever the case.")


class ItemTextSerializer(serializers.Serializer):
    text = StrictCharField(max_length=200)


class ReorderItemsSerializer(serializers.Serializer):
    items = serializers.ListField(
        child=StrictIntegerField(),
        allow_empty=True,
        help_text="Every item id of the routine, in order.",
    )


class ReorderRoutinesSerializer(serializers.Serializer):
    routines = serializers.ListField(
        child=StrictIntegerField(), allow_empty=True, help_text="Every routine id of yours, in order."
    )


class DayDateSerializer(serializers.Serializer):
    """The ``{date}`` of a day URL: an ISO date, at most one day after the user's today."""

    date = IsoDateField()

    def validate_date(self, value):
        latest = self.context.get("latest_day")
        if latest is not None and value > latest:
            raise serializers.ValidationError(
                f"{value.isoformat()} is in the future; the latest day you can tick is {latest.isoformat()}."
            )
        return value


class DaySetSerializer(serializers.Serializer):
    checked = serializers.ListField(
        child=StrictIntegerField(), allow_empty=True, help_text="Ids of the items done that day."
    )


class DayToggleSerializer(serializers.Serializer):
    item = StrictIntegerField(help_text="Id of one item of the routine.")
    done = StrictBooleanField(help_text="true ticks the item, false unticks it.")


class DayStateSerializer(serializers.Serializer):
    routine = serializers.IntegerField(source="routine_id")
    date = serializers.DateField()
    checked = serializers.ListField(child=serializers.IntegerField(), source="checked_ids")
    done = serializers.IntegerField()
    total = serializers.IntegerField()
    complete = serializers.BooleanField()
    version = serializers.IntegerField(help_text="Write counter of the day; grows with every change.")


class HistoryQuerySerializer(serializers.Serializer):
    start = IsoDateField(required=False)
    end = IsoDateField(required=False)

    MAX_DAYS = 366

    def validate(self, attrs):
        end = attrs.get("end") or self.context["today"]
        try:
            start = attrs.get("start") or end - self.context["default_span"]
        except OverflowError:  # e.g. end=0001-01-01: the default window would start before year 1
            raise serializers.ValidationError(
                {"end": "Without a start, end must leave room for the default window after 0001-01-01."}
            ) from None
        if start > end:
            raise serializers.ValidationError({"start": "start must not be after end."})
        if (end - start).days >= self.MAX_DAYS:
            raise serializers.ValidationError({"start": f"Ask for at most {self.MAX_DAYS} days at a time."})
        return {"start": start, "end": end}


class HistoryDaySerializer(serializers.Serializer):
    date = serializers.DateField()
    done = serializers.IntegerField()
    total = serializers.IntegerField()
    complete = serializers.BooleanField()
    existed = serializers.BooleanField(help_text="False for a day before the routine's first day.")


class HistorySerializer(serializers.Serializer):
    routine = serializers.IntegerField(source="routine.pk")
    start = serializers.DateField()
    end = serializers.DateField()
    today = serializers.DateField()
    completion_rate = serializers.FloatField(help_text="Complete days / counted days, 0..1.")
    complete_days = serializers.IntegerField()
    counted_days = serializers.IntegerField()
    streak = serializers.IntegerField(help_text="Complete days in a row up to today (or yesterday).")
    days = HistoryDaySerializer(many=True)
