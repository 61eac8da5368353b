import zoneinfo

from django import forms
from django.contrib.auth.forms import UserCreationForm

from accounts.models import User, default_time_zone


def _zone_choices():
    return [(zone, zone) for zone in sorted(zoneinfo.available_timezones())]


class SignUpForm(UserCreationForm):
    time_zone = forms.ChoiceField(
        choices=_zone_choices, initial=default_time_zone, help_text="Your day starts at midnight here."
    )

    class Meta:
        model = User
        fields = ["username"]


class ProfileForm(forms.Form):
    time_zone = forms.ChoiceField(choices=_zone_choices)
