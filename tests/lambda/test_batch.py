import pytest

from core.aws.batch import MalformedBatch, batch_handler, record_identifier


def sqs(message_id, body="{}"):
    return {
        "messageId": message_id,
        "body": body,
        "eventSource": "aws:sqs",
        "eventSourceARN": "arn:aws:sqs:r:1:q",
    }


def ddb(seq):
    return {"eventSource": "aws:dynamodb", "eventName": "INSERT", "dynamodb": {"SequenceNumber": seq}}


def kinesis(seq):
    return {"eventSource": "aws:kinesis", "kinesis": {"sequenceNumber": seq, "data": ""}}


def test_it_reports_only_the_failed_sqs_messages_and_tries_every_one():
    seen = []

    @batch_handler
    def handle(record):
        seen.append(record["messageId"])
        if record["messageId"] in ("b", "d"):
            raise RuntimeError("boom")

    result = handle({"Records": [sqs("a"), sqs("b"), sqs("c"), sqs("d")]}, None)

    assert result == {"batchItemFailures": [{"itemIdentifier": "b"}, {"itemIdentifier": "d"}]}
    assert seen == ["a", "b", "c", "d"]


@pytest.mark.parametrize("make", [ddb, kinesis])
def test_it_stops_a_stream_batch_at_the_first_failure_and_reports_its_sequence_number(make):
    seen = []

    @batch_handler
    def handle(record):
        seq = record_identifier(record)
        seen.append(seq)
        if seq == "102":
            raise RuntimeError("boom")

    result = handle({"Records": [make("101"), make("102"), make("103")]})

    assert result == {"batchItemFailures": [{"itemIdentifier": "102"}]}
    assert seen == ["101", "102"]  # 103 waits for the retry that starts at 102


def test_a_clean_batch_reports_no_failures():
    result = batch_handler(lambda record: None)({"Records": [sqs("a")]}, None)
    assert result == {"batchItemFailures": []}


def test_a_record_from_an_unknown_source_is_refused():
    with pytest.raises(ValueError, match="Not a batch record"):
        record_identifier({"eventSource": "aws:s3"})


# --- malformed batches (issue 9, item 6): one clear error, nothing runs ------------------------


def _never(record):
    raise AssertionError("no record of a malformed batch may run")


@pytest.mark.parametrize(
    ("records", "says"),
    [
        (["x"], "Record 0 of 1 is not an object"),
        ([sqs("a"), {"eventSource": "aws:dynamodb", "eventName": "INSERT"}], "Record 1 of 2 .*no identifier"),
        ([{"eventSource": "aws:dynamodb", "dynamodb": {"NewImage": {"a": {"S": "1"}}}}], "no identifier"),
        ([{"eventSource": "aws:kinesis", "kinesis": {"data": ""}}], "no identifier"),
        ([{"eventSource": "aws:sqs", "body": "{}"}], "no identifier"),
        ([{"body": "{}"}], "Not a batch record"),
        ("x", "Records must be a list"),
    ],
    ids=[
        "a-string-record",
        "no-dynamodb",
        "no-sequence-number",
        "no-kinesis",
        "no-message-id",
        "no-source",
        "records-a-string",
    ],
)
def test_a_batch_it_cannot_identify_is_one_clear_error_and_nothing_runs(records, says):
    with pytest.raises(MalformedBatch, match=says):
        batch_handler(_never)({"Records": records}, None)


def test_an_insert_without_its_new_image_fails_the_batch_but_a_keys_only_stream_passes():
    seen = []
    record = ddb("101")
    record["dynamodb"]["StreamViewType"] = "NEW_AND_OLD_IMAGES"

    with pytest.raises(MalformedBatch, match="sequence number 101.*INSERT without NewImage"):
        batch_handler(_never)({"Records": [record]}, None)

    record["dynamodb"]["StreamViewType"] = "KEYS_ONLY"
    removed = dict(ddb("102"), eventName="REMOVE")
    assert batch_handler(seen.append)({"Records": [record, removed]}, None) == {"batchItemFailures": []}
    assert len(seen) == 2
