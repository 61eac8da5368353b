"""Scraper fixtures: the sandbox page on a live server (tests/scraper/fixtures.py), DynamoDB operations seen."""

from __future__ import annotations

import pytest

from tests.scraper import fixtures

sandbox = fixtures.sandbox  # shared with tests/e2e


@pytest.fixture
def dynamodb_operations():
    """The DynamoDB operations the scraper's tables receive during the test, by name (observed on
    the clients' botocore event hooks, nothing replaced)."""
    from scraper.dynamo import MovieItem, ScrapeErrorItem

    seen: list[str] = []

    def record(model, **kwargs):
        seen.append(model.name)

    clients = {model._get_connection().connection.client for model in (MovieItem, ScrapeErrorItem)}
    for botocore_client in clients:
        botocore_client.meta.events.register("before-call.dynamodb", record)
    yield seen
    for botocore_client in clients:
        botocore_client.meta.events.unregister("before-call.dynamodb", record)


@pytest.fixture
def store_movies():
    """``store_movies(owner, [row changes, ...])``: each row through the movie stream's consumer."""
    from scraper import services
    from scraper.models import ScrapeRun
    from tests.scraper.factories import ScrapeRunFactory, kinesis_record, movie_data

    def store(owner, rows, run=None):
        run = run or ScrapeRunFactory(owner=owner, status=ScrapeRun.Status.STORING, rows_sent=len(rows))
        for changes in rows:
            record = services.StreamRecord.from_lambda(kinesis_record(movie_data(run, **changes)))
            assert services.movie_record_store(record=record) == "stored"
        return run

    return store
