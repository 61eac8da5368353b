"""Sample data for ``manage.py load_demo``: two scrapes of the sandbox's pages, through the pipeline."""

from scraper.services import scrape_demo_load


def load_demo(*, user) -> str:
    return scrape_demo_load(owner=user)
