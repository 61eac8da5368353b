import zoneinfo

from django import forms
from django.contrib.auth.forms import UserCreationForm

from accounts.models import User, default_time_zone

EMAIL_HELP = "Where a link to reset a forgotten password is sent. Optional."


def _zone_choices():
    return [(zone, zone) for zone in sorted(zoneinfo.available_timezones())]


class SignUpForm(UserCreationForm):
    email = forms.EmailField(required=False, help_text=EMAIL_HELP)
    time_zone = forms.ChoiceField(
        choices=_zone_choices, initial=default_time_zone, help_text="Your day starts at midnight here."
    )

    class Meta:
        model = User
        fields = ["username", "email"]


class ProfileForm(forms.Form):
    email = forms.EmailField(required=False, help_text=EMAIL_HELP)
    time_zone = forms.ChoiceField(choices=_zone_choices)


class AccountDeleteForm(forms.Form):
    password = forms.CharField(
        label="Your password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text="Type it to confirm: this cannot be undone.",
    )
