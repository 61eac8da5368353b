"""Forms of the countries pages: they only parse; the services decide what is a country."""

from django import forms

from countries.codes import country_code_clean
from countries.selectors import REGIONS


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


SORT_CHOICES = [
    ("name", "Name, A to Z"),
    ("-name", "Name, Z to A"),
    ("-population", "Population, largest first"),
    ("population", "Population, smallest first"),
]


class StoredCountriesForm(forms.Form):
    """The list of your countries: region, sort and page, all optional (empty: all, by name, page 1)."""

    region = forms.ChoiceField(
        choices=[("", "All regions"), *((region, region) for region in REGIONS)], required=False
    )
    sort = forms.ChoiceField(label="Sort by", choices=SORT_CHOICES, required=False)
    page = forms.IntegerField(min_value=1, max_value=2**31 - 1, required=False, widget=forms.HiddenInput)

    def clean_sort(self):
        return self.cleaned_data["sort"] or "name"

    def clean_page(self):
        return self.cleaned_data["page"] or 1


class CompareForm(forms.Form):
    """Two of your stored countries; ``choices`` (code, name) are yours, the codes are checked as
    codes here and as yours by the selector (a code typed in the URL may be anybody's)."""

    a = forms.CharField(label="First country", max_length=20, widget=forms.Select)
    b = forms.CharField(label="Second country", max_length=20, widget=forms.Select)

    def __init__(self, *args, choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        options = [("", "Choose a country"), *((code, f"{name or code} ({code})") for code, name in choices)]
        for name in ("a", "b"):
            self.fields[name].widget.choices = options

    def _code(self, name: str) -> str:
        from django.core.exceptions import ValidationError

        try:
            return country_code_clean(self.cleaned_data[name])
        except ValidationError as exc:
            raise forms.ValidationError(exc.messages) from exc

    def clean_a(self):
        return self._code("a")

    def clean_b(self):
        return self._code("b")

    def clean(self):
        super().clean()
        if self.cleaned_data.get("a") and self.cleaned_data.get("a") == self.cleaned_data.get("b"):
            self.add_error("b", "Choose two different countries.")
        return self.cleaned_data
