"""The whole path on the emulator through the local event runner: request -> queue -> page ->
Kinesis -> consumers -> DynamoDB and the run's counts."""

import pytest

from scraper import selectors, services
from scraper.models import ScrapeRun
from scraper.sandbox.pages import movies as sandbox_movies

pytestmark = pytest.mark.django_db(transaction=False)


def test_a_requested_scrape_ends_with_every_movie_stored(alice, sandbox, runner):
    run = services.scrape_run_request(owner=alice, url=f"{sandbox}/movies/")

    runner.drain()

    run.refresh_from_db()
    assert run.status == ScrapeRun.Status.DONE, runner.stdout.getvalue()
    assert (run.rows_seen, run.rows_sent, run.rows_stored, run.rows_rejected) == (300, 300, 300, 0)
    page = selectors.movie_list(owner=alice, limit=100)
    expected = sorted(m.id for m in sandbox_movies())
    assert [m.movie_id for m in page.movies] == expected[:100]
