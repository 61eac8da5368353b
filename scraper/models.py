"""Relational data of the scraper: one ``ScrapeRun`` per scrape a user (or the schedule) started.

The movies and the errors a run produces live in DynamoDB (``scraper/dynamo.py``); the run keeps
what a person wants to see about it: which URL, when, how far it got, how many rows were seen on
the page, sent to the stream, stored, rejected, and why it failed if it did.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import models

from core import clock

# A run still fetching or sending after this long was interrupted (its function timed out or
# crashed): it is shown as such and no longer counts against the user's active scrapes.
STALE_AFTER = timedelta(minutes=5)


class ScrapeRun(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        FETCHING = "fetching", "Fetching the page"
        SENDING = "sending", "Sending rows to the stream"
        STORING = "storing", "Storing movies"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"

    class Trigger(models.TextChoices):
        WEB = "web", "Web page"
        API = "api", "API"
        COMMAND = "command", "Command"
        SCHEDULE = "schedule", "Schedule"
        DEMO = "demo", "Demo data"

    ACTIVE = (Status.QUEUED, Status.FETCHING, Status.SENDING)
    FINISHED = (Status.DONE, Status.FAILED)
    URL_MAX_LENGTH = 2000

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="scrape_runs")
    url = models.URLField(max_length=URL_MAX_LENGTH)
    trigger = models.CharField(max_length=10, choices=Trigger.choices, default=Trigger.WEB)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    failure = models.TextField(blank=True, help_text="Why the run failed, for the person who started it.")
    final_url = models.URLField(max_length=URL_MAX_LENGTH, blank=True, help_text="After redirects.")
    page_bytes = models.PositiveIntegerField(null=True, blank=True)

    created_at = models.DateTimeField(default=clock.now)
    started_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # When the run last moved (a state, a batch sent, a batch of rows counted): the sweep's deadlines
    # count from it. ``restarts``: how often the sweep started it again.
    progress_at = models.DateTimeField(null=True, blank=True)
    restarts = models.PositiveIntegerField(default=0)
    # The sweep finished the run with its counts from the movie table: later deliveries count no more.
    counts_final = models.BooleanField(default=False)

    rows_seen = models.PositiveIntegerField(default=0, help_text="Rows in the page's movie table.")
    rows_sent = models.PositiveIntegerField(default=0, help_text="Rows put on the movie stream.")
    rows_unsent = models.PositiveIntegerField(
        default=0, help_text="Rows the stream still refused after retries."
    )
    rows_stored = models.PositiveIntegerField(default=0, help_text="Movies the stream consumer stored.")
    rows_rejected = models.PositiveIntegerField(
        default=0, help_text="Rows the consumer refused as malformed (in the error table)."
    )
    page_errors = models.PositiveIntegerField(default=0, help_text="Error records of the page itself.")

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["owner", "-created_at"], name="scrape_run_owner_recent")]

    def __str__(self) -> str:
        return f"Scrape {self.pk} of {self.url} ({self.status})"

    @property
    def rows_duplicate(self) -> int:
        """Rows whose movie id already appeared earlier on the page (sent once)."""
        if self.status in (self.Status.QUEUED, self.Status.FETCHING, self.Status.SENDING):
            return 0
        return max(0, self.rows_seen - self.rows_sent - self.rows_unsent)

    @property
    def errors(self) -> int:
        """The run's items on the errors list (rows the stream could not take are ``rows_unsent``)."""
        return self.rows_rejected + self.page_errors

    @property
    def interrupted(self) -> bool:
        """Still fetching or sending long after it last moved: the function running it died (the
        sweep, ``sweep_scrapes``, starts it again or ends it)."""
        moved = self.progress_at or self.started_at or self.created_at
        return self.status in (self.Status.FETCHING, self.Status.SENDING) and (
            clock.now() - moved > STALE_AFTER
        )

    @property
    def finished(self) -> bool:
        return self.status in self.FINISHED or self.interrupted

    @property
    def progress_percent(self) -> int:
        """How far the run is, 0-100: sending is the first half, storing the second."""
        if self.status == self.Status.DONE:
            return 100
        if not self.rows_seen:
            return 0
        sent = min(self.rows_sent + self.rows_unsent, self.rows_seen) / self.rows_seen
        handled = (self.rows_stored + self.rows_rejected) / max(self.rows_sent, 1)
        return int(50 * sent + 50 * min(handled, 1.0))


class StreamCheckpoint(models.Model):
    """The last record of one shard counted on a run (a zero-padded Kinesis sequence number).

    A shard delivers in order and retries from its first unfinished record, so a record at or
    before the checkpoint was counted already: redeliveries never count twice
    (``services._counts_apply`` checks and moves it in the same transaction as the counts).
    """

    run = models.ForeignKey(ScrapeRun, on_delete=models.CASCADE, related_name="checkpoints")
    stream = models.CharField(max_length=128)
    shard = models.CharField(max_length=128)
    sequence = models.CharField(max_length=130, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["run", "stream", "shard"], name="stream_checkpoint_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.stream}/{self.shard} of run {self.run_id}"


class MovieListing(models.Model):
    """The movie table's relational index, one row per (owner, movie id): counts, sorts, pages both
    ways and a run's movies without a Scan. Written by the stream consumer with the run's counts,
    only from the owner's current copy (docs/apps/scraper.md)."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="movie_listings"
    )
    movie_id = models.CharField(max_length=64)
    primary_title = models.CharField(max_length=500)
    title_key = models.CharField(max_length=500, help_text="The folded primary title: the order by title.")
    original_title = models.CharField(max_length=500, blank=True)
    is_adult = models.BooleanField(null=True)
    start_year = models.PositiveSmallIntegerField(null=True, blank=True)
    # The order by year: movies without a year after every year, both ways (keyset paging needs
    # non-null keys).
    no_year = models.BooleanField(default=False)
    year_sort = models.PositiveSmallIntegerField(default=0)
    runtime_minutes = models.PositiveIntegerField(null=True, blank=True)
    genres = models.CharField(max_length=200, blank=True, help_text="As the page named them, comma-joined.")
    genre_1 = models.CharField(max_length=40, blank=True)  # folded, as the genre filter takes them
    genre_2 = models.CharField(max_length=40, blank=True)
    genre_3 = models.CharField(max_length=40, blank=True)
    search = models.TextField(blank=True, help_text="Folded primary + original title: the title filter.")
    # The run that stored this copy: a plain id, since a run can be deleted and its movies kept.
    run_id = models.PositiveBigIntegerField()
    updated_at = models.DateTimeField(default=clock.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["owner", "movie_id"], name="movie_listing_unique")]
        indexes = [
            models.Index(fields=["owner", "title_key", "movie_id"], name="movie_listing_title"),
            models.Index(fields=["owner", "no_year", "year_sort", "movie_id"], name="movie_listing_year"),
            models.Index(fields=["owner", "run_id"], name="movie_listing_run"),
            models.Index(fields=["owner", "genre_1"], name="movie_listing_genre_1"),
            models.Index(fields=["owner", "genre_2"], name="movie_listing_genre_2"),
            models.Index(fields=["owner", "genre_3"], name="movie_listing_genre_3"),
        ]

    def __str__(self) -> str:
        return f"{self.movie_id} of user {self.owner_id}"


class ScrapeSchedule(models.Model):
    """The page a user has scraped on a schedule, how often, and the next slot
    (``services.scrape_schedules_run``)."""

    class Every(models.IntegerChoices):
        HOUR = 60, "Every hour"
        SIX_HOURS = 360, "Every 6 hours"
        DAY = 1440, "Every day"
        WEEK = 10080, "Every week"

    owner = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="scrape_schedule"
    )
    url = models.URLField(max_length=ScrapeRun.URL_MAX_LENGTH)
    every_minutes = models.PositiveIntegerField(choices=Every.choices, default=Every.DAY)
    enabled = models.BooleanField(default=True)
    next_due_at = models.DateTimeField()
    last_fired_at = models.DateTimeField(null=True, blank=True)
    last_run = models.ForeignKey(
        ScrapeRun, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    last_outcome = models.CharField(max_length=500, blank=True)
    updated_at = models.DateTimeField(default=clock.now)

    class Meta:
        indexes = [models.Index(fields=["enabled", "next_due_at"], name="scrape_schedule_due")]

    def __str__(self) -> str:
        return f"{self.get_every_minutes_display()}: {self.url}"

    @property
    def interval(self) -> timedelta:
        return timedelta(minutes=self.every_minutes)
