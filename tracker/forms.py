"""Forms of the tracker pages. They only parse; the services decide what is valid and their
``ValidationError`` is attached back to the form (``core.web.forms.add_service_errors``)."""

from django import forms

from tracker import order_stages


def _name_field() -> forms.CharField:
    return forms.CharField(
        label="Name (optional)",
        max_length=order_stages.NAME_MAX,
        required=False,
        strip=False,  # the service strips and checks it, as for the API
        widget=forms.TextInput(attrs={"autocomplete": "off", "placeholder": "e.g. Friday pizzas"}),
    )


def _phone_field() -> forms.CharField:
    return forms.CharField(
        label="Phone to text",
        max_length=32,
        widget=forms.TextInput(
            attrs={"inputmode": "tel", "autocomplete": "tel", "placeholder": "+60123456789"}
        ),
        help_text="International format: a plus, the country code and the number.",
    )


def _stages_field(*, initial=None) -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        label="Text me when the order is",
        choices=[(code, order_stages.label(code)) for code in order_stages.TEXTABLE],
        initial=initial,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


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
    phone = _phone_field()
    texted_stages = _stages_field(initial=order_stages.DEFAULT_TEXTED)
    name = _name_field()


class OrderChangeForm(forms.Form):
    """Change an order: its name at any time; its phone and stages while it is tracked (the form
    of an ended order has the name only)."""

    name = _name_field()
    phone = _phone_field()
    texted_stages = _stages_field()

    def __init__(self, *args, active: bool, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["name"].label = "Name"
        if not active:
            del self.fields["phone"], self.fields["texted_stages"]

    def changes(self) -> dict:
        """What to hand to ``services.order_update``: every field of the form (an unticked stage
        list is an empty one, which the service refuses)."""
        return {name: self.cleaned_data[name] for name in self.fields}
