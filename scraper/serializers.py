"""API shapes of the scraper. Input serializers only parse; the services and selectors decide the rest."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_serializer
from rest_framework import serializers
from rest_framework.settings import api_settings

from core.web.strict import QueryIntegerField
from scraper.models import ScrapeRun
from scraper.records import GENRE_MAX, YEARS
from scraper.selectors import SORTS

MAX_PAGE_SIZE = 100


class ScrapeRunSerializer(serializers.ModelSerializer):
    """A scrape run and how far it got (poll it for live progress)."""

    # A plain string, not `format: uri`: it is empty until the page has been fetched.
    final_url = serializers.CharField(
        read_only=True, help_text="After redirects; empty until the page has been fetched."
    )
    rows_duplicate = serializers.IntegerField(
        read_only=True, help_text="Rows whose movie id appeared earlier on the page."
    )
    error_count = serializers.IntegerField(
        source="errors",
        read_only=True,
        help_text="rows_rejected + page_errors: the run's errors listed at /api/scrape-errors/.",
    )
    interrupted = serializers.BooleanField(
        read_only=True, help_text="Stopped while fetching or sending: scrape again."
    )
    finished = serializers.BooleanField(
        read_only=True, help_text="Nothing more will change (done, failed or interrupted)."
    )
    progress_percent = serializers.IntegerField(
        read_only=True, help_text="0-100: sending is the first half, storing the second."
    )

    class Meta:
        model = ScrapeRun
        fields = [
            "id",
            "url",
            "trigger",
            "status",
            "failure",
            "final_url",
            "page_bytes",
            "created_at",
            "started_at",
            "sent_at",
            "finished_at",
            "rows_seen",
            "rows_sent",
            "rows_unsent",
            "rows_stored",
            "rows_rejected",
            "page_errors",
            "rows_duplicate",
            "error_count",
            "interrupted",
            "finished",
            "progress_percent",
        ]
        read_only_fields = fields


class ScrapeRequestSerializer(serializers.Serializer):
    url = serializers.CharField(
        max_length=ScrapeRun.URL_MAX_LENGTH,
        required=False,
        allow_blank=True,
        help_text="An http(s) page with a table.movieTable; default: the configured MOVIES_PAGE_URL.",
    )


class PageQuerySerializer(serializers.Serializer):
    cursor = serializers.CharField(
        max_length=1000,
        required=False,
        allow_blank=True,
        help_text="next_cursor of the previous page; omit (or leave empty) for the first page.",
    )
    page_size = QueryIntegerField(
        min_value=1,
        max_value=MAX_PAGE_SIZE,
        required=False,
        help_text=f"Items per page (1-{MAX_PAGE_SIZE}; default API_PAGE_SIZE).",
    )

    def validate(self, attrs):
        attrs.setdefault("page_size", min(api_settings.PAGE_SIZE or MAX_PAGE_SIZE, MAX_PAGE_SIZE))
        return attrs


class MovieQuerySerializer(PageQuerySerializer):
    # An empty filter (the page's form sends ?genre=&title=) filters nothing.
    genre = serializers.CharField(
        max_length=GENRE_MAX, required=False, allow_blank=True, help_text="One genre, any case; empty: all."
    )
    year_from = QueryIntegerField(min_value=YEARS.start, max_value=YEARS.stop - 1, required=False)
    year_to = QueryIntegerField(min_value=YEARS.start, max_value=YEARS.stop - 1, required=False)
    title = serializers.CharField(
        max_length=100,
        required=False,
        allow_blank=True,
        help_text="Part of the primary or original title; any case, accents ignored; empty: all.",
    )
    sort = serializers.ChoiceField(
        choices=list(SORTS),
        required=False,
        allow_blank=True,
        help_text="id, title, -title, year (oldest first) or -year (newest first); movies without a "
        "year come last either way. Default: id, or year with a genre or a year range. A cursor "
        "works only with the sort it was given out for.",
    )

    def validate(self, attrs):
        attrs = super().validate(attrs)
        low, high = attrs.get("year_from"), attrs.get("year_to")
        if low is not None and high is not None and low > high:
            raise serializers.ValidationError({"year_from": "year_from must not be after year_to."})
        for name in ("genre", "title", "sort"):
            if name in attrs and not attrs[name].strip():
                attrs.pop(name)
        return attrs


class ErrorQuerySerializer(PageQuerySerializer):
    run = QueryIntegerField(
        min_value=1, max_value=2**63 - 1, required=False, help_text="Only this run's errors."
    )


class MovieSerializer(serializers.Serializer):
    id = serializers.CharField(source="movie_id")
    primary_title = serializers.CharField()
    original_title = serializers.CharField(allow_null=True)
    is_adult = serializers.BooleanField(allow_null=True)
    start_year = serializers.IntegerField(allow_null=True)
    runtime_minutes = serializers.IntegerField(allow_null=True)
    genres = serializers.ListField(child=serializers.CharField())


# One page object, never an array of them (drf-spectacular wraps a list action's response).
@extend_schema_serializer(many=False)
class MoviePageSerializer(serializers.Serializer):
    count = serializers.IntegerField(help_text="How many movies match the filters (every page).")
    sort = serializers.CharField(help_text="The order of this page.")
    next = serializers.CharField(allow_null=True, help_text="URL of the next page, or null.")
    next_cursor = serializers.CharField(allow_null=True)
    previous = serializers.CharField(allow_null=True, help_text="URL of the previous page, or null.")
    previous_cursor = serializers.CharField(allow_null=True)
    results = MovieSerializer(many=True, source="movies")


class ScrapeErrorSerializer(serializers.Serializer):
    id = serializers.CharField(source="key")
    run = serializers.IntegerField(source="run_id", allow_null=True)
    kind = serializers.ChoiceField(
        source="source", choices=["page", "record"], help_text="A page that could not be read, or a record."
    )
    url = serializers.CharField(allow_null=True)
    error_message = serializers.CharField()
    reason = serializers.CharField()
    snippet = serializers.CharField(
        allow_null=True, help_text="The page's first characters or the record's data."
    )
    movie_id = serializers.CharField(allow_null=True)
    created_at = serializers.DateTimeField()


# One page object, never an array of them (drf-spectacular wraps a list action's response).
@extend_schema_serializer(many=False)
class ErrorPageSerializer(serializers.Serializer):
    next = serializers.CharField(allow_null=True)
    next_cursor = serializers.CharField(allow_null=True)
    results = ScrapeErrorSerializer(many=True, source="errors")


class ScrapeDeleteQuerySerializer(serializers.Serializer):
    movies = serializers.BooleanField(
        required=False,
        default=False,
        help_text="true: delete the movies this run stored too (those whose stored copy is this "
        "run's). Refused while any of your scrapes is in flight.",
    )
