"""Forms of the countries pages: they only parse; the services decide what is a country."""

from django import forms


class CountrySearchForm(forms.Form):
    q = forms.CharField(
        label="Code or name",
        max_length=100,
        widget=forms.TextInput(
            attrs={"placeholder": "PY, PRY or Paraguay", "autocomplete": "off", "autofocus": True}
        ),
    )

    def clean_q(self):
        text = self.cleaned_data["q"].strip()
        if not text:
            raise forms.ValidationError("Type a country code or part of a name.")
        return text
