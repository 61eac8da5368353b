"""API shapes of routines. Input serializers only parse; the services decide what is valid."""

from __future__ import annotations

import re
from datetime import time

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.web.strict import StrictBooleanField, StrictCharField, StrictIntegerField
from routines.models import WEEKDAY_NAMES, Routine, RoutineItem
from routines.schedules import weekdays_names

TIME_PATTERN = r"^([01][0-9]|2[0-3]):[0-5][0-9]$"


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
    """A routine as read: its items in order, its schedule, status and reminder."""

    items = RoutineItemSerializer(many=True, read_only=True)
    weekdays = serializers.SerializerMethodField(help_text="The days a `weekdays` schedule is due on.")
    remind_at = serializers.SerializerMethodField(help_text="HH:MM (24 h) in your time zone, or null.")

    class Meta:
        model = Routine
        fields = [
            "id",
            "name",
            "description",
            "position",
            "items",
            "schedule",
            "weekdays",
            "times_per_week",
            "status",
            "remind_at",
            "remind_by",
            "remind_phone",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.ListField(child=serializers.ChoiceField(choices=WEEKDAY_NAMES)))
    def get_weekdays(self, routine: Routine) -> list[str]:
        return weekdays_names(routine.weekdays)

    @extend_schema_field({"type": "string", "pattern": TIME_PATTERN, "nullable": True})
    def get_remind_at(self, routine: Routine) -> str | None:
        return routine.remind_at.strftime("%H:%M") if routine.remind_at else None


class WeekdaysField(serializers.ListField):
    """Weekday names in and out; the routine keeps them as a bit mask."""

    def to_representation(self, data):
        if isinstance(data, int):
            data = weekdays_names(data)
        return super().to_representation(data)


class ScheduleFieldsMixin(serializers.Serializer):
    """The schedule, status and reminder a routine may be given (POST, PUT, PATCH)."""

    schedule = serializers.ChoiceField(
        choices=Routine.Schedule.choices,
        required=False,
        help_text="daily (default), weekdays (due on `weekdays`) or weekly (`times_per_week` days a week).",
    )
    weekdays = WeekdaysField(
        child=serializers.ChoiceField(choices=[(n, n) for n in WEEKDAY_NAMES]),
        required=False,
        max_length=7,
        help_text="With schedule=weekdays: the days it is due, at least one.",
    )
    times_per_week = StrictIntegerField(
        required=False, min_value=1, max_value=7, help_text="With schedule=weekly: 1 to 7."
    )
    status = serializers.ChoiceField(
        choices=Routine.Status.choices,
        required=False,
        help_text="paused or archived: off Today, no reminders, its days not due; active again resumes it.",
    )
    remind_at = serializers.RegexField(
        TIME_PATTERN,
        required=False,
        allow_null=True,
        help_text="HH:MM (24 h) in your time zone: remind you then on due days not done yet; null: never.",
    )
    remind_by = serializers.ChoiceField(choices=Routine.RemindBy.choices, required=False)
    remind_phone = serializers.RegexField(
        r"^\+[1-9][0-9]{6,14}$",
        required=False,
        allow_blank=True,
        max_length=16,
        help_text="E.164 phone number for remind_by=sms, e.g. +60123456789.",
    )

    def validate_remind_at(self, value):
        if value is None:
            return None
        return time(int(value[:2]), int(value[3:5]))


class RoutineCreateSerializer(ScheduleFieldsMixin, serializers.Serializer):
    """A new routine, in the original app's shape: ``{"name", "description", "items": ["Shower", ...]}``."""

    name = StrictCharField(max_length=100, help_text="Unique among your routines, whatever the case.")
    description = StrictCharField(max_length=1000, required=False, allow_blank=True, default="")
    items = serializers.ListField(
        child=StrictCharField(max_length=200), required=False, default=list, max_length=200
    )


class RoutineUpdateSerializer(ScheduleFieldsMixin, serializers.Serializer):
    """Rename a routine, change its description, schedule, status or reminder (items have their own
    endpoints)."""

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
    due = serializers.BooleanField(help_text="Whether the day counts: due by the schedule, not paused.")
    mark = serializers.ChoiceField(
        choices=["before", "off", "not_due", "due"],
        help_text="before (the routine's first day), off (paused or archived), not_due or due.",
    )


class MonthRateSerializer(serializers.Serializer):
    month = serializers.DateField(help_text="The month's first day.")
    complete_days = serializers.IntegerField()
    counted_days = serializers.IntegerField()
    rate = serializers.FloatField()


class HistorySerializer(serializers.Serializer):
    routine = serializers.IntegerField(source="routine.pk")
    start = serializers.DateField()
    end = serializers.DateField()
    today = serializers.DateField()
    completion_rate = serializers.FloatField(help_text="Complete days / counted days, 0..1.")
    complete_days = serializers.IntegerField()
    counted_days = serializers.IntegerField()
    streak = serializers.IntegerField(help_text="Complete due days in a row up to today (or yesterday).")
    best_streak = serializers.IntegerField(help_text="The longest run of complete due days, ever.")
    first_day = serializers.DateField()
    months = MonthRateSerializer(many=True, help_text="Completion per month (the newest 12): the trend.")
    days = HistoryDaySerializer(many=True)
