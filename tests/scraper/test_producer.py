"""put_records: batches of at most 500, the movie id as partition key, exactly the refused records
retried. Kinesis is the emulator's; a thin stand-in in front of it refuses chosen records the way
Kinesis reports throttling (FailedRecordCount and an ErrorCode per record)."""

from core.aws import client
from scraper.producer import MAX_RECORDS_PER_CALL, batches, records_put

STREAM = "serverless-django-test-movie-records"


class Throttling:
    """Forwards put_records to the emulator, except the records it is told to refuse this time."""

    def __init__(self, kinesis, refuse_per_call):
        self.kinesis = kinesis
        self.refuse = list(refuse_per_call)  # one set of partition keys per call
        self.calls = []

    def put_records(self, *, StreamName, Records):
        self.calls.append([r["PartitionKey"] for r in Records])
        refused = self.refuse.pop(0) if self.refuse else set()
        accepted = [r for r in Records if r["PartitionKey"] not in refused]
        answers = iter(
            self.kinesis.put_records(StreamName=StreamName, Records=accepted)["Records"] if accepted else []
        )
        results = [
            {"ErrorCode": "ProvisionedThroughputExceededException", "ErrorMessage": "Rate exceeded for shard"}
            if r["PartitionKey"] in refused
            else next(answers)
            for r in Records
        ]
        return {"FailedRecordCount": len(refused & {r["PartitionKey"] for r in Records}), "Records": results}


def stream_tail(stream=STREAM):
    """Read, later, only what reaches the stream after now (other tests' records stay unread)."""
    kinesis = client("kinesis")
    shard = kinesis.list_shards(StreamName=stream)["Shards"][0]["ShardId"]
    iterator = kinesis.get_shard_iterator(StreamName=stream, ShardId=shard, ShardIteratorType="LATEST")

    def read():
        found, position = [], iterator["ShardIterator"]
        while True:
            page = kinesis.get_records(ShardIterator=position, Limit=1000)
            found += page["Records"]
            if not page["Records"]:
                return found
            position = page["NextShardIterator"]

    return read


def rows(n):
    return [(f"tt{1000000 + i:07d}", f'{{"id": "tt{1000000 + i:07d}"}}'.encode()) for i in range(n)]


def test_records_go_in_batches_of_at_most_500():
    assert [len(b) for b in batches(rows(1201))] == [500, 500, 201]


def test_a_batch_also_stays_under_five_mebibytes():
    big = [(f"k{i}", b"x" * 900_000) for i in range(7)]

    assert [len(b) for b in batches(big)] == [5, 2]


def test_exactly_the_refused_records_are_retried_and_each_lands_once(aws):
    read = stream_tail()
    kinesis = Throttling(client("kinesis"), [{"tt1000001", "tt1000003"}, {"tt1000003"}])

    outcome = records_put(stream_name=STREAM, records=rows(5), kinesis=kinesis, backoff=0)

    assert kinesis.calls == [
        [f"tt{1000000 + i:07d}" for i in range(5)],
        ["tt1000001", "tt1000003"],
        ["tt1000003"],
    ]
    assert (outcome.sent, outcome.unsent, outcome.calls, outcome.retried) == (5, 0, 3, 3)
    landed = read()
    assert sorted(r["PartitionKey"] for r in landed) == [f"tt{1000000 + i:07d}" for i in range(5)]


def test_records_still_refused_after_the_last_attempt_are_counted_unsent(aws):
    refused = {"tt1000000"}
    kinesis = Throttling(client("kinesis"), [refused] * 3)
    progress = []

    outcome = records_put(
        stream_name=STREAM,
        records=rows(3),
        kinesis=kinesis,
        attempts=3,
        backoff=0,
        on_batch=lambda sent, unsent: progress.append((sent, unsent)),
    )

    assert (outcome.sent, outcome.unsent, outcome.calls) == (2, 1, 3)
    assert progress == [(2, 1)]


def test_the_movie_id_is_the_partition_key_and_progress_follows_each_batch(aws):
    read = stream_tail()
    progress = []

    outcome = records_put(
        stream_name=STREAM,
        records=rows(MAX_RECORDS_PER_CALL + 20),
        kinesis=client("kinesis"),
        on_batch=lambda sent, unsent: progress.append((sent, unsent)),
    )

    assert outcome.sent == 520
    assert progress == [(500, 0), (520, 0)]
    assert {r["PartitionKey"] for r in read()} == {key for key, _ in rows(520)}


def test_a_record_kinesis_would_refuse_outright_is_unsent_not_fatal(aws):
    records = [("", b"{}"), ("k" * 257, b"{}"), ("ok", b"x" * (1024 * 1024)), ("fine", b"{}")]

    outcome = records_put(stream_name=STREAM, records=records, kinesis=client("kinesis"))

    assert (outcome.sent, outcome.unsent) == (1, 3)


def test_each_retry_waits_with_exponential_backoff(aws):
    waits = []
    kinesis = Throttling(client("kinesis"), [{"tt1000000"}] * 4)

    records_put(stream_name=STREAM, records=rows(1), kinesis=kinesis, backoff=0.1, sleep=waits.append)

    assert len(waits) == 4
    for attempt, wait in enumerate(waits):
        assert 0 <= wait <= 0.1 * 2**attempt  # full jitter under a doubling ceiling
