"""Forms of the prices pages. They only parse; the services decide what is valid and their
``ValidationError`` is attached back to the form (``core.web.forms.add_service_errors``)."""

from django import forms

from prices import regions
from prices.models import Subscription

DEFAULT_REGION = "new_york_city"


# The chart's ranges: (value of ?range=, label, weeks shown; None: every week stored).
RANGES = [("1y", "1 year", 52), ("5y", "5 years", 260), ("all", "All", None)]
DEFAULT_RANGE = "1y"


class ChartForm(forms.Form):
    region = forms.ChoiceField(choices=regions.CHOICES, required=False, label="Region")
    range = forms.ChoiceField(
        choices=[(value, label) for value, label, _ in RANGES], required=False, label="Range"
    )

    def region_or_default(self) -> str:
        if self.is_valid() and self.cleaned_data.get("region"):
            return self.cleaned_data["region"]
        return DEFAULT_REGION

    def range_or_default(self) -> str:
        if self.is_valid() and self.cleaned_data.get("range"):
            return self.cleaned_data["range"]
        return DEFAULT_RANGE


class AlertsForm(forms.Form):
    """What a subscription alerts on: its regions, a smallest drop and/or a target price."""

    regions = forms.MultipleChoiceField(
        choices=regions.CHOICES,
        widget=forms.CheckboxSelectMultiple,
        label="Regions",
        error_messages={"required": "Choose at least one region."},
    )
    min_drop_cents = forms.IntegerField(
        min_value=1,
        max_value=100,
        required=False,
        initial=5,
        label="Smallest drop (cents a gallon)",
        help_text="An email when the week's price is at least this much lower than the week before; "
        "leave it empty for no drop alerts.",
    )
    target_price = forms.DecimalField(
        max_digits=4,
        decimal_places=2,
        required=False,
        label="Target price (dollars a gallon)",
        help_text="An email when a region's price falls under it, such as 3.50: once each time it crosses "
        "under; leave it empty for none.",
        widget=forms.NumberInput(attrs={"step": "0.01", "inputmode": "decimal"}),
    )


class SubscriptionForm(AlertsForm):
    email = forms.EmailField(max_length=Subscription.EMAIL_MAX_LENGTH, label="Email address")

    field_order = ["email", "regions", "min_drop_cents", "target_price"]


class UnsubscribeForm(forms.Form):
    """Which of the two buttons of an alert's unsubscribe page was pressed."""

    REGIONS, ALL = "regions", "all"
    scope = forms.ChoiceField(choices=[(REGIONS, "The alert's regions"), (ALL, "The whole subscription")])
