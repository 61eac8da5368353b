"""Forms of the scraper pages. They only parse; the services decide what is valid and their
``ValidationError`` is attached back to the form (``core.web.forms.add_service_errors``)."""

from django import forms

from scraper.models import ScrapeRun, ScrapeSchedule
from scraper.records import GENRE_MAX, YEARS
from scraper.selectors import SORT_LABELS


class ScrapeForm(forms.Form):
    url = forms.CharField(
        label="Page URL",
        max_length=ScrapeRun.URL_MAX_LENGTH,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "url", "autocomplete": "url", "spellcheck": "false"}),
        help_text="An http(s) page with a table of movies (table.movieTable). Empty: the configured page.",
    )


class MovieFilterForm(forms.Form):
    genre = forms.CharField(
        max_length=GENRE_MAX, required=False, widget=forms.TextInput(attrs={"list": "genres"})
    )
    year_from = forms.IntegerField(
        label="From year", min_value=YEARS.start, max_value=YEARS.stop - 1, required=False
    )
    year_to = forms.IntegerField(
        label="To year", min_value=YEARS.start, max_value=YEARS.stop - 1, required=False
    )
    title = forms.CharField(
        max_length=100, required=False, help_text="Part of the title, any case; accents ignored."
    )
    sort = forms.ChoiceField(
        label="Sort by",
        required=False,
        choices=[("", "Id (by year with a genre or years)"), *SORT_LABELS.items()],
    )

    def clean(self):
        cleaned = super().clean() or {}
        low, high = cleaned.get("year_from"), cleaned.get("year_to")
        if low is not None and high is not None and low > high:
            self.add_error("year_from", "From year must not be after To year.")
        for name in ("genre", "title", "sort"):
            cleaned[name] = (cleaned.get(name) or "").strip() or None
        return cleaned


OFF = "off"


class ScheduleForm(forms.Form):
    url = forms.CharField(
        label="Page URL",
        max_length=ScrapeRun.URL_MAX_LENGTH,
        widget=forms.TextInput(attrs={"inputmode": "url", "autocomplete": "url", "spellcheck": "false"}),
        help_text="An http(s) page with a table of movies (table.movieTable).",
    )
    every = forms.ChoiceField(
        label="How often",
        choices=[*((str(value), label) for value, label in ScrapeSchedule.Every.choices), (OFF, "Off")],
    )


class RunDeleteForm(forms.Form):
    movies = forms.ChoiceField(
        label="Its movies",
        choices=[("keep", "Keep the movies it stored"), ("delete", "Delete the movies it stored too")],
        initial="keep",
        widget=forms.RadioSelect,
    )
