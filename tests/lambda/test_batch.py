import pytest

from core.batch import batch_handler, record_identifier


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
