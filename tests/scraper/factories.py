"""Scraper objects for tests: runs (ORM), page rows, and Kinesis records as Lambda delivers them.

``ScrapeRunFactory(owner=alice)`` is a queued run of the sandbox page; ``kinesis_event(records)``
wraps ``kinesis_record(data, sequence=...)`` dicts in a Lambda event of the movie stream.
"""

from __future__ import annotations

import base64
import itertools
import json

import factory

from scraper.models import ScrapeRun
from tests.accounts.factories import UserFactory

# The example row (the seed's format), and rows of synthetic movies.
JURI_RUMM = {
    "id": "tt0292215",
    "primaryTitle": "Jüri Rumm",
    "originalTitle": "Jüri Rumm",
    "isAdult": "False",
    "startYear": "1994",
    "runtimeMinutes": "90",
    "genres": "Adventure,Drama",
}
_sequence = itertools.count(49_590_338_271_490_256_608_559_692_538_361_571_095_921_575_989_136_588_895)


class ScrapeRunFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ScrapeRun

    owner = factory.SubFactory(UserFactory)
    url = "http://127.0.0.1:8000/sandbox/scraper/movies/"
    trigger = ScrapeRun.Trigger.API


def row(**changes: str) -> dict[str, str]:
    return {**JURI_RUMM, **changes}


def movie_data(run: ScrapeRun, **changes: str) -> bytes:
    return json.dumps({**row(**changes), "scrapeRun": str(run.pk)}).encode()


def next_sequence() -> str:
    return str(next(_sequence))


def kinesis_record(
    data: bytes,
    *,
    sequence: str | None = None,
    stream: str = "serverless-django-test-movie-records",
    arrived: float = 1795323600.123,
) -> dict:
    sequence = sequence or next_sequence()
    return {
        "kinesis": {
            "kinesisSchemaVersion": "1.0",
            "partitionKey": "tt0292215",
            "sequenceNumber": sequence,
            "data": base64.b64encode(data).decode(),
            "approximateArrivalTimestamp": arrived,
        },
        "eventSource": "aws:kinesis",
        "eventVersion": "1.0",
        "eventID": f"shardId-000000000000:{sequence}",
        "eventName": "aws:kinesis:record",
        "invokeIdentityArn": "arn:aws:iam::123456789012:role/lambda-role",
        "awsRegion": "us-east-1",
        "eventSourceARN": f"arn:aws:kinesis:us-east-1:123456789012:stream/{stream}",
    }


def kinesis_event(records: list[dict]) -> dict:
    return {"Records": records}
