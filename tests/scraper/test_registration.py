"""What the scraper declares on its AppConfig, as the deploy and the local runner read it."""

from core.contract.registry import event_sources, product_apps
from core.stages import load_stage, schedules


def test_the_queue_and_both_streams_feed_the_scrapers_handlers():
    declared = {(s.service, s.suffix): s.function for s in event_sources() if s.app_label == "scraper"}

    assert declared == {
        ("sqs", "scrape-requests"): "scraper.events.on_scrape_requests",
        ("kinesis", "movie-records"): "scraper.events.on_movie_records",
        ("kinesis", "scrape-error-records"): "scraper.events.on_scrape_errors",
    }


def test_the_schedule_runs_the_scrape_command_on_both_stages():
    for stage in ("dev_worker", "prod_worker"):  # the worker function takes every schedule
        (scrape,) = [s for s in schedules(load_stage(stage)) if s.name == "scrape-movies"]
        assert scrape.function == "config.events.run_command"
        assert scrape.kwargs == {"command": "scrape", "args": ["--scheduled"]}


def test_the_scraper_is_on_the_home_page_and_in_the_navigation():
    (config,) = [c for c in product_apps() if c.label == "scraper"]

    assert (config.nav.url_name, config.home_card.url_name) == ("scraper:index", "scraper:index")
    assert config.sandbox_urls_module == "scraper.sandbox.urls"


def test_the_owners_schedules_are_looked_at_every_minute_on_both_stages():
    for stage in ("dev_worker", "prod_worker"):
        (due,) = [s for s in schedules(load_stage(stage)) if s.name == "scrape-schedules"]
        assert due.function == "config.events.run_command"
        assert due.kwargs == {"command": "run_scrape_schedules"}
        assert due.expression == "rate(1 minute)"
