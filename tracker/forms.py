"""Forms of the tracker pages. They only parse; the services decide what is valid and their
``ValidationError`` is attached back to the form (``core.forms.add_service_errors``)."""

from django import forms

from tracker import order_stages


class OrderForm(forms.Form):
    tracker_url = forms.CharField(
        label="Tracker URL",
        max_length=order_stages.URL_MAX,
        widget=forms.TextInput(attrs={"inputmode": "url", "autocomplete": "off", "spellcheck": "false"}),
    )
    token = forms.CharField(
        label="Token",
        max_length=order_stages.TOKEN_MAX,
        # A bearer token is never sent back to the browser: after a correction it is typed again.
        widget=forms.PasswordInput(attrs={"autocomplete": "off", "spellcheck": "false"}, render_value=False),
        help_text=(
            'The Authorization header: "Bearer " and a long text. Stored encrypted; erased when tracking '
            "ends; never shown again (after a correction, paste it again)."
        ),
    )
    phone = forms.CharField(
        label="Phone to text",
        max_length=32,
        widget=forms.TextInput(
            attrs={"inputmode": "tel", "autocomplete": "tel", "placeholder": "+60123456789"}
        ),
        help_text="International format: a plus, the country code and the number.",
    )
    texted_stages = forms.MultipleChoiceField(
        label="Text me when the order is",
        choices=[(code, order_stages.label(code)) for code in order_stages.TEXTABLE],
        initial=order_stages.DEFAULT_TEXTED,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
