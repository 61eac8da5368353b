"""API shapes of prices. Input serializers only parse; the services decide the rest."""

from __future__ import annotations

from rest_framework import serializers

from core.strict import StrictCharField, StrictIntegerField
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


class SubscriptionSerializer(serializers.ModelSerializer):
    regions = serializers.ListField(child=serializers.ChoiceField(choices=regions.CHOICES))

    class Meta:
        model = Subscription
        fields = ["id", "email", "regions", "min_drop_cents", "created_at"]
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
        default=1,
        help_text="Alert on drops of at least this many cents a gallon.",
    )
