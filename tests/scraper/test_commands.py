"""``manage.py scrape``: a summary line, or one line and a non-zero exit."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from scraper.models import ScrapeRun


def test_scrape_sends_the_pages_rows_and_says_so(alice, aws, sandbox):
    summary = call_command("scrape", "--url", f"{sandbox}/movies/?rows=7", "--user", "alice")

    run = ScrapeRun.objects.get(owner=alice)
    assert summary == (
        f"Scrape {run.pk} of {sandbox}/movies/?rows=7: 7 rows seen, 7 sent to the movie stream, 0 unsent; "
        "the stream's consumer stores them."
    )
    assert (run.trigger, run.status) == (ScrapeRun.Trigger.COMMAND, ScrapeRun.Status.STORING)


def test_the_user_defaults_to_the_scheduled_user(alice, aws, sandbox, settings):
    settings.SCRAPER_SCHEDULE_USER = "alice"

    assert call_command("scrape", "--url", f"{sandbox}/movies/?rows=1").startswith("Scrape ")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--url", "https://movies.example/", "--user", "nobody"], "No user named 'nobody'."),
        (["--url", "ftp://movies.example/", "--user", "alice"], "Only http:// and https:// pages"),
    ],
)
def test_bad_input_is_one_line_and_an_error(alice, args, message):
    with pytest.raises(CommandError, match=message):
        call_command("scrape", *args)


def test_without_any_user_it_says_how_to_name_one(db, settings):
    settings.SCRAPER_SCHEDULE_USER = None

    with pytest.raises(CommandError, match="--user NAME"):
        call_command("scrape", "--url", "https://movies.example/")


def test_a_page_that_fails_is_an_error_naming_the_reason(alice, aws):
    with pytest.raises(CommandError, match="could not be reached"):
        call_command("scrape", "--url", "http://127.0.0.1:9/", "--user", "alice")


def test_the_schedule_skips_quietly_where_nothing_is_configured(db, settings):
    settings.MOVIES_PAGE_URL = None
    settings.SCRAPER_SCHEDULE_USER = None

    assert call_command("scrape", "--scheduled") == (
        "Scheduled scrape skipped: set MOVIES_PAGE_URL and SCRAPER_SCHEDULE_USER to run it."
    )
    assert not ScrapeRun.objects.exists()
