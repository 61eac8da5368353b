"""Ticks survive a restart of the embedded AWS: day items are rebuilt from the database archive."""

from io import StringIO

import pytest
import requests
from django.core.management import call_command

from core.clock import user_today
from core.deploy.provisioning import aws_provision
from routines.dynamo import RoutineDayItem
from routines.events import archive_days
from routines.selectors import routine_day_state
from routines.services import routine_day_toggle
from tests.routines.factories import RoutineFactory


def _archive_everything_in_the_stream():
    """Feed the table's stream to the archive handler, as Lambda (or the local runner) would."""
    from core.aws import client

    streams = client("dynamodbstreams")
    table = client("dynamodb").describe_table(TableName=RoutineDayItem.Meta.table_name)["Table"]
    stream_arn = table["LatestStreamArn"]
    for shard in streams.describe_stream(StreamArn=stream_arn)["StreamDescription"]["Shards"]:
        iterator = streams.get_shard_iterator(
            StreamArn=stream_arn, ShardId=shard["ShardId"], ShardIteratorType="TRIM_HORIZON"
        )["ShardIterator"]
        records = streams.get_records(ShardIterator=iterator)["Records"]
        for record in records:
            record["eventSourceARN"] = stream_arn
        assert archive_days({"Records": records}, None) == {"batchItemFailures": []}


@pytest.fixture
def morning(alice):
    return RoutineFactory(owner=alice, name="Morning", items=["Shower", "Get dressed", "Take pills"])


def test_ticks_come_back_after_the_emulator_loses_everything(aws_fresh, alice, morning, moto_url):
    today = user_today(user=alice)
    shower, dressed, _ = morning.items.all()
    routine_day_toggle(owner=alice, routine_id=morning.pk, item_id=shower.pk, day=today, done=True)
    routine_day_toggle(owner=alice, routine_id=morning.pk, item_id=dressed.pk, day=today, done=True)
    _archive_everything_in_the_stream()

    requests.post(f"{moto_url}/moto-api/reset", timeout=10)  # the emulator restarts empty
    RoutineDayItem._connection = None
    aws_provision()
    assert routine_day_state(routine=morning, day=today).checked_ids == []

    out = StringIO()
    call_command("restore_hot_items", stdout=out)

    assert "routines: 1 routine days restored from the archive" in out.getvalue()
    assert sorted(routine_day_state(routine=morning, day=today).checked_ids) == sorted(
        [shower.pk, dressed.pk]
    )


def test_restoring_never_overwrites_a_newer_live_day(aws, alice, morning):
    today = user_today(user=alice)
    shower, dressed, pills = morning.items.all()
    routine_day_toggle(owner=alice, routine_id=morning.pk, item_id=shower.pk, day=today, done=True)
    _archive_everything_in_the_stream()
    routine_day_toggle(owner=alice, routine_id=morning.pk, item_id=pills.pk, day=today, done=True)

    out = StringIO()
    call_command("restore_hot_items", stdout=out)

    assert "0 routine days restored" in out.getvalue()
    assert sorted(routine_day_state(routine=morning, day=today).checked_ids) == sorted([shower.pk, pills.pk])
