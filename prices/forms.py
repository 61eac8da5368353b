"""Forms of the prices pages. They only parse; the services decide what is valid and their
``ValidationError`` is attached back to the form (``core.forms.add_service_errors``)."""

from django import forms

from prices import regions
from prices.models import Subscription

DEFAULT_REGION = "new_york_city"


class ChartForm(forms.Form):
    region = forms.ChoiceField(choices=regions.CHOICES, required=False, label="Region")

    def region_or_default(self) -> str:
        if self.is_valid() and self.cleaned_data.get("region"):
            return self.cleaned_data["region"]
        return DEFAULT_REGION


class SubscriptionForm(forms.Form):
    email = forms.EmailField(max_length=Subscription.EMAIL_MAX_LENGTH, label="Email address")
    regions = forms.MultipleChoiceField(
        choices=regions.CHOICES,
        widget=forms.CheckboxSelectMultiple,
        label="Regions",
        error_messages={"required": "Choose at least one region."},
    )
    min_drop_cents = forms.IntegerField(
        min_value=1,
        max_value=100,
        initial=5,
        label="Smallest drop (cents a gallon)",
        help_text="An email only when the week's price is at least this much lower than the week before.",
    )


class UnsubscribeForm(forms.Form):
    """Which of the two buttons of an alert's unsubscribe page was pressed."""

    REGIONS, ALL = "regions", "all"
    scope = forms.ChoiceField(choices=[(REGIONS, "The alert's regions"), (ALL, "The whole subscription")])
