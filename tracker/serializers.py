"""API shapes of the tracker. Input serializers only parse (strict JSON types); the services decide
the rest (the exact tracker URL, the token's shape, E.164). The token is write-only: no output
shape has it."""

from __future__ import annotations

from rest_framework import serializers

from core.web.api_fields import MomentTextField
from core.web.strict import StrictBooleanField, StrictCharField
from tracker import order_stages
from tracker.models import StatusChange, TrackedOrder


def _stages_field() -> serializers.ListField:
    return serializers.ListField(
        child=serializers.ChoiceField(choices=order_stages.TEXTABLE),
        required=False,
        allow_empty=False,
        max_length=len(order_stages.TEXTABLE),
        error_messages={"empty": order_stages.NO_STAGE_CHOSEN},
        help_text="Stages to text about, at least one (PC in progress, DL out for delivery, CP completed); "
        "default DL and CP.",
    )


def _name_field() -> StrictCharField:
    return StrictCharField(
        max_length=order_stages.NAME_MAX,
        required=False,
        allow_blank=True,
        help_text=f'Your own name for the order, e.g. "Friday pizzas" (at most {order_stages.NAME_MAX} '
        'printable characters; "" for none).',
    )


class OrderCreateSerializer(serializers.Serializer):
    tracker_url = StrictCharField(
        max_length=order_stages.URL_MAX,
        help_text="https://api.dominos.com.my/api/GPSTracker/CartId/<digits>, exactly (see the how-to on /tracker/).",
    )
    token = StrictCharField(
        max_length=order_stages.TOKEN_MAX,
        write_only=True,
        help_text='The Authorization header your browser sends to the tracker: "Bearer <text>". Stored encrypted.',
    )
    phone = StrictCharField(max_length=32, help_text="E.164, e.g. +60123456789.")
    texted_stages = _stages_field()
    name = _name_field()


class OrderChangeSerializer(serializers.Serializer):
    """Every field is optional; those left out stay as they are."""

    name = _name_field()
    phone = StrictCharField(
        max_length=32,
        required=False,
        help_text="E.164, e.g. +60123456789: the next texts go there (400 once tracking ended).",
    )
    texted_stages = _stages_field()
    hidden = StrictBooleanField(
        required=False,
        help_text="True hides an ended order from the list (400 while it is tracked); false shows it again.",
    )


class _QueryBooleanField(serializers.BooleanField):
    """A boolean query parameter: left out, its default; given, true or false (DRF took an empty
    ``?hidden=`` for the default, which the schema's boolean does not allow)."""

    def get_value(self, dictionary):
        if dictionary.get(self.field_name) == "":
            return ""
        return super().get_value(dictionary)


class OrderListQuerySerializer(serializers.Serializer):
    hidden = _QueryBooleanField(
        required=False, default=False, help_text="True lists only the ended orders you hid."
    )


class OrderSerializer(serializers.ModelSerializer):
    """A tracked order and where it is (no token: it is never shown)."""

    texted_stages = serializers.ListField(source="texted_list", child=serializers.CharField(), read_only=True)
    texts_pending = serializers.ListField(
        source="pending_list",
        child=serializers.CharField(),
        read_only=True,
        help_text="Texts not sent yet (retried on the next poll).",
    )
    tracking_label = serializers.CharField(source="get_tracking_display", read_only=True)
    stage_label = serializers.CharField(read_only=True)
    has_token = serializers.BooleanField(
        read_only=True, help_text="False once tracking ended (the token is erased)."
    )
    last_polled_at_text = MomentTextField(source="last_polled_at")
    hidden = serializers.BooleanField(read_only=True, help_text="An ended order hidden from the list.")

    class Meta:
        model = TrackedOrder
        fields = [
            "id",
            "tracker_url",
            "cart_id",
            "name",
            "phone",
            "texted_stages",
            "tracking",
            "tracking_label",
            "stage",
            "stage_label",
            "stage_at",
            "started_at",
            "ended_at",
            "last_polled_at",
            "last_polled_at_text",
            "polls",
            "failed_polls",
            "last_error",
            "texts_sent",
            "texts_pending",
            "has_token",
            "hidden",
        ]
        read_only_fields = fields


class StageSerializer(serializers.ModelSerializer):
    stage_label = serializers.CharField(source="label", read_only=True)
    seen_at_text = MomentTextField(source="seen_at")

    class Meta:
        model = StatusChange
        fields = ["stage", "stage_label", "previous", "seen_at", "seen_at_text"]
        read_only_fields = fields


class TextSerializer(serializers.Serializer):
    key = serializers.CharField(help_text='A stage code, or "token-expired".')
    status = serializers.ChoiceField(choices=["sending", "sent", "failed", "unknown"])
    body = serializers.CharField()
    attempts = serializers.IntegerField()
    claimed_at = serializers.DateTimeField()
    sent_at = serializers.DateTimeField(allow_null=True)
    message_sid = serializers.CharField(allow_null=True)
    error = serializers.CharField(allow_null=True)


class TimelineSerializer(serializers.Serializer):
    """What the order page refreshes itself from."""

    order = OrderSerializer()
    stages = StageSerializer(many=True)
    texts = TextSerializer(many=True)
