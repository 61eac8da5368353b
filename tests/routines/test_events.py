"""The stream of the routine-days table archives each day in the database (routines.events.archive_days)."""

import copy
from datetime import timedelta

import pytest

from core.aws import client
from core.clock import user_today
from routines.dynamo import RoutineDayItem
from routines.events import archive_days
from routines.models import RoutineDay
from routines.services import routine_create, routine_day_toggle, routine_delete

STREAM_ARN = "arn:aws:dynamodb:us-east-1:123456789012:table/serverless-django-test-routine-days/stream/2026-11-01T12:34:56.789"


def aws_record(name, sequence, keys, new=None, old=None):
    """A DynamoDB stream record exactly as Lambda delivers it (NEW_AND_OLD_IMAGES)."""
    body = {
        "ApproximateCreationDateTime": 1795323600,
        "Keys": keys,
        "SequenceNumber": sequence,
        "SizeBytes": 64,
    }
    body["StreamViewType"] = "NEW_AND_OLD_IMAGES"
    if new is not None:
        body["NewImage"] = new
    if old is not None:
        body["OldImage"] = old
    return {
        "eventID": f"event-{sequence}",
        "eventName": name,
        "eventVersion": "1.1",
        "eventSource": "aws:dynamodb",
        "awsRegion": "us-east-1",
        "eventSourceARN": STREAM_ARN,
        "dynamodb": body,
    }


def stream_records() -> list[dict]:
    """Every record the emulator's stream of the routine-days table holds, in order."""
    streams = client("dynamodbstreams")
    arn = client("dynamodb").describe_table(TableName=RoutineDayItem.Meta.table_name)["Table"][
        "LatestStreamArn"
    ]
    records = []
    for shard in streams.describe_stream(StreamArn=arn)["StreamDescription"]["Shards"]:
        iterator = streams.get_shard_iterator(
            StreamArn=arn, ShardId=shard["ShardId"], ShardIteratorType="TRIM_HORIZON"
        )["ShardIterator"]
        while iterator:
            page = streams.get_records(ShardIterator=iterator)
            records.extend(page["Records"])
            iterator = page.get("NextShardIterator") if page["Records"] else None
    for record in records:  # what Lambda adds to each record of the event
        record.setdefault("eventSource", "aws:dynamodb")
        record.setdefault("eventSourceARN", arn)
    return records


def lambda_event(records):
    return {"Records": copy.deepcopy(records)}


@pytest.fixture
def ticked(aws, alice, morning, morning_items):
    """Alice ticked the first two items of Morning today; returns the stream's records."""
    today = user_today(user=alice)
    for item in morning_items[:2]:
        routine_day_toggle(owner=alice, routine_id=morning.pk, item_id=item.pk, day=today, done=True)
    return stream_records()


def test_the_stream_of_two_taps_archives_the_day(alice, morning, morning_items, ticked):
    result = archive_days(lambda_event(ticked), None)

    assert result == {"batchItemFailures": []}
    row = RoutineDay.objects.get(routine=morning)
    assert row.date == user_today(user=alice)
    assert (row.done_count, row.total, row.version) == (2, 7, 2)
    assert row.checked_item_ids == sorted(i.pk for i in morning_items[:2])


def test_replaying_a_batch_leaves_the_same_row(morning, ticked):
    archive_days(lambda_event(ticked), None)
    first = RoutineDay.objects.values().get(routine=morning)

    assert archive_days(lambda_event(ticked), None) == {"batchItemFailures": []}

    assert RoutineDay.objects.values().get(routine=morning) == first
    assert RoutineDay.objects.count() == 1


def test_an_older_image_arriving_late_does_not_overwrite_a_newer_one(aws, morning, ticked):
    archive_days(lambda_event(ticked[::-1]), None)

    row = RoutineDay.objects.get(routine=morning)
    assert (row.done_count, row.version) == (2, 2)


def test_an_untick_is_archived_too(aws, alice, morning, morning_items, ticked):
    routine_day_toggle(
        owner=alice,
        routine_id=morning.pk,
        item_id=morning_items[0].pk,
        day=user_today(user=alice),
        done=False,
    )

    archive_days(lambda_event(stream_records()), None)

    row = RoutineDay.objects.get(routine=morning)
    assert (row.checked_item_ids, row.done_count, row.version) == ([morning_items[1].pk], 1, 3)


def test_a_failed_record_is_reported_by_sequence_number_and_later_ones_wait(
    aws, alice, morning, morning_items
):
    bedtime = routine_create(owner=alice, name="Bedtime", items=["Brush teeth"])
    today = user_today(user=alice)
    routine_day_toggle(owner=alice, routine_id=morning.pk, item_id=morning_items[0].pk, day=today, done=True)
    routine_day_toggle(
        owner=alice,
        routine_id=morning.pk,
        item_id=morning_items[0].pk,
        day=today - timedelta(days=1),
        done=True,
    )
    routine_day_toggle(
        owner=alice, routine_id=bedtime.pk, item_id=bedtime.items.get().pk, day=today, done=True
    )
    records = [r for r in stream_records() if r["dynamodb"].get("NewImage", {}).get("version")]
    assert len(records) == 3
    poisoned = records[1]
    poisoned["dynamodb"]["NewImage"]["date"] = {"S": "not-a-date"}

    result = archive_days(lambda_event(records), None)

    assert result == {"batchItemFailures": [{"itemIdentifier": poisoned["dynamodb"]["SequenceNumber"]}]}
    assert list(RoutineDay.objects.values_list("routine__name", "date")) == [("Morning", today)]


def test_days_of_a_deleted_routine_are_skipped(morning, ticked):
    routine_delete(routine=morning)

    assert archive_days(lambda_event(ticked), None) == {"batchItemFailures": []}
    assert not RoutineDay.objects.exists()


def test_an_aws_shaped_batch_with_insert_modify_and_remove(alice, morning, morning_items):
    """The shape Lambda delivers, built by hand as a deployed stream would send it."""
    key = RoutineDayItem.key(owner_id=alice.pk, routine_id=morning.pk)
    day = user_today(user=alice).isoformat()
    keys = {"owner_routine": {"S": key}, "date": {"S": day}}
    first, second = (morning_items[0].pk, morning_items[3].pk)

    def image(version, checked):
        return {
            **keys,
            "checked": {"NS": [str(i) for i in checked]},
            "total": {"N": "7"},
            "version": {"N": str(version)},
            "updated_at": {"S": "2026-11-22T07:00:00.000000+0000"},
        }

    insert = aws_record("INSERT", "4421584500000000017450439091", keys, new=image(1, [first]))
    modify = aws_record(
        "MODIFY", "4421584500000000017450439092", keys, new=image(2, [first, second]), old=image(1, [first])
    )
    remove = aws_record("REMOVE", "4421584500000000017450439093", keys, old=image(2, [first, second]))

    assert archive_days({"Records": [insert, modify, remove]}, None) == {"batchItemFailures": []}

    row = RoutineDay.objects.get(routine=morning)
    assert (row.checked_item_ids, row.done_count, row.version) == (sorted([first, second]), 2, 2)
    assert row.updated_at.isoformat().startswith("2026-11-22T07:00:00")
