"""API shapes of prices. Input serializers only parse; the services decide the rest."""

from __future__ import annotations

import re
from decimal import Decimal

from rest_framework import serializers
from rest_framework.fields import empty as fields_empty

from core.web.strict import StrictCharField, StrictIntegerField
from prices import regions
from prices.models import PriceReport, Subscription


class PriceReportSerializer(serializers.ModelSerializer):
    region_label = serializers.SerializerMethodField(help_text="The region's name.")

    class Meta:
        model = PriceReport
        fields = ["week", "region", "region_label", "price"]
        read_only_fields = fields

    def get_region_label(self, report: PriceReport) -> str:
        return regions.label_of(report.region)


class PriceQuerySerializer(serializers.Serializer):
    region = serializers.ChoiceField(choices=regions.CHOICES, required=False, help_text="One region's slug.")
    start = serializers.DateField(required=False, help_text="The first week shown (YYYY-MM-DD), inclusive.")
    end = serializers.DateField(required=False, help_text="The last week shown (YYYY-MM-DD), inclusive.")

    def validate(self, attrs):
        blank = [str(name) for name in self.fields if self.initial_data.get(name) == ""]
        if blank:
            raise serializers.ValidationError(
                {name: "Give a value or leave the parameter out." for name in blank}
            )
        start, end = attrs.get("start"), attrs.get("end")
        if start and end and start > end:
            raise serializers.ValidationError({"start": "start must not be after end."})
        return attrs


class LatestPriceSerializer(serializers.Serializer):
    region = serializers.ChoiceField(choices=regions.CHOICES)
    region_label = serializers.CharField(source="label")
    week = serializers.DateField()
    price = serializers.DecimalField(max_digits=6, decimal_places=3)
    previous_week = serializers.DateField(allow_null=True, help_text="The newest earlier week with a price.")
    previous_price = serializers.DecimalField(max_digits=6, decimal_places=3, allow_null=True)
    change = serializers.DecimalField(
        max_digits=6,
        decimal_places=3,
        allow_null=True,
        help_text="price - previous_price (negative: a drop).",
    )


class LatestPricesSerializer(serializers.Serializer):
    week = serializers.DateField(allow_null=True, help_text="The newest week stored (null: none yet).")
    results = LatestPriceSerializer(many=True)


class StrictPriceField(serializers.DecimalField):
    """A price in dollars as a JSON string of whole cents ("3.50"), never a number (the schema says
    string: a float would round) nor another shape; the service checks the range."""

    default_error_messages = {"invalid": 'A price in dollars as a string, such as "3.50".'}
    PATTERN = re.compile(r"^\d{1,2}(\.\d{1,2})?$")

    def __init__(self, **kwargs):
        super().__init__(max_digits=4, decimal_places=2, **kwargs)

    def run_validation(self, data=fields_empty):
        if data == "":  # DRF reads "" as null for a nullable number; the schema says a price or null
            self.fail("invalid")
        return super().run_validation(data)

    def to_internal_value(self, data):
        if not isinstance(data, str) or not self.PATTERN.match(data):
            self.fail("invalid")
        return Decimal(data)


TARGET_HELP = (
    'Email when a region\'s price falls under this many dollars a gallon ("3.50"): once each time it '
    "crosses under, from at or over it the week before; null: no target. 1.00 to 9.99."
)
MIN_DROP_HELP = (
    "Email when a region's price is at least this many cents lower than its previous week's; "
    "null: no drop alerts (then target_price is required)."
)


class SubscriptionSerializer(serializers.ModelSerializer):
    regions = serializers.ListField(child=serializers.ChoiceField(choices=regions.CHOICES))
    min_drop_cents = serializers.IntegerField(allow_null=True, help_text=MIN_DROP_HELP)
    target_price = serializers.DecimalField(
        max_digits=4, decimal_places=2, allow_null=True, help_text=TARGET_HELP
    )
    confirmation = serializers.ChoiceField(
        choices=["pending", "confirmed"],
        help_text=(
            "pending: SNS emailed the address a link to confirm it and no alert reaches it until it is "
            "followed (POST .../resend-confirmation/ sends it again); confirmed: alerts are delivered."
        ),
    )

    class Meta:
        model = Subscription
        fields = ["id", "email", "regions", "min_drop_cents", "target_price", "confirmation", "created_at"]
        read_only_fields = fields


class SubscriptionCreateSerializer(serializers.Serializer):
    email = StrictCharField(max_length=Subscription.EMAIL_MAX_LENGTH, help_text="Where the alerts go.")
    regions = serializers.ListField(
        child=serializers.ChoiceField(choices=regions.CHOICES),
        allow_empty=False,
        max_length=len(regions.REGIONS),
        help_text="Region slugs (GET /api/prices/latest/ lists them).",
    )
    min_drop_cents = StrictIntegerField(
        min_value=1,
        max_value=100,
        required=False,
        allow_null=True,
        default=1,
        help_text=MIN_DROP_HELP + " Left out: 1.",
    )
    target_price = StrictPriceField(required=False, allow_null=True, default=None, help_text=TARGET_HELP)


class SubscriptionUpdateSerializer(serializers.Serializer):
    """What an edit may change; the address stays (subscribe another address instead)."""

    regions = serializers.ListField(
        child=serializers.ChoiceField(choices=regions.CHOICES),
        allow_empty=False,
        max_length=len(regions.REGIONS),
        required=False,
        help_text="Region slugs; left out: unchanged.",
    )
    min_drop_cents = StrictIntegerField(
        min_value=1,
        max_value=100,
        required=False,
        allow_null=True,
        help_text=MIN_DROP_HELP + " Left out: unchanged.",
    )
    target_price = StrictPriceField(
        required=False, allow_null=True, help_text=TARGET_HELP + " Left out: unchanged."
    )
