"""The embedded emulator (core.local.moto_server): atomic DynamoDB writes, a journal replayed at start."""

import threading

import boto3
import pytest
import requests
from botocore.config import Config

from core.local.moto_server import EmbeddedMotoServer, Journal
from tests.support.net import free_port

THREADS = 8
UPDATES_EACH = 20


def _dynamodb(url, service="dynamodb"):
    return boto3.session.Session().client(
        service,
        endpoint_url=url,
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
        config=Config(max_pool_connections=THREADS, retries={"max_attempts": 1}),
    )


def _table(dynamodb, name):
    dynamodb.create_table(
        TableName=name,
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
        StreamSpecification={"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"},
    )


def _stream_sequences(url, table):
    dynamodb, streams = _dynamodb(url), _dynamodb(url, "dynamodbstreams")
    arn = dynamodb.describe_table(TableName=table)["Table"]["LatestStreamArn"]
    shard = streams.describe_stream(StreamArn=arn)["StreamDescription"]["Shards"][0]["ShardId"]
    iterator = streams.get_shard_iterator(StreamArn=arn, ShardId=shard, ShardIteratorType="TRIM_HORIZON")[
        "ShardIterator"
    ]
    sequences = []
    while iterator:
        page = streams.get_records(ShardIterator=iterator, Limit=1000)
        sequences += [r["dynamodb"]["SequenceNumber"] for r in page["Records"]]
        iterator = page.get("NextShardIterator") if page["Records"] else None
    return sequences


def test_eight_threads_adding_to_one_item_lose_no_update(aws_fresh):
    _table(_dynamodb(aws_fresh), "race")
    clients = [_dynamodb(aws_fresh) for _ in range(THREADS)]
    barrier = threading.Barrier(THREADS)
    errors = []

    def add(dynamodb):
        try:
            barrier.wait(timeout=10)
            for _ in range(UPDATES_EACH):
                dynamodb.update_item(
                    TableName="race",
                    Key={"pk": {"S": "day"}},
                    UpdateExpression="ADD n :one",
                    ExpressionAttributeValues={":one": {"N": "1"}},
                )
        except Exception as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=add, args=(c,)) for c in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert errors == []
    item = clients[0].get_item(TableName="race", Key={"pk": {"S": "day"}}, ConsistentRead=True)["Item"]
    assert int(item["n"]["N"]) == THREADS * UPDATES_EACH
    sequences = _stream_sequences(aws_fresh, "race")
    # One record per update (moto adds one more for the item's creation), no sequence number twice.
    assert len(sequences) == len(set(sequences)) >= THREADS * UPDATES_EACH


def test_a_restarted_emulator_gives_back_every_acknowledged_write_from_its_journal(aws_fresh, tmp_path):
    journal = tmp_path / "aws.journal"
    first = EmbeddedMotoServer(port=free_port(), journal=journal)
    first.start()
    url = f"http://127.0.0.1:{first.port}"
    dynamodb = _dynamodb(url)
    _table(dynamodb, "days")
    for n in range(5):
        dynamodb.update_item(
            TableName="days",
            Key={"pk": {"S": f"d{n % 2}"}},
            UpdateExpression="ADD n :one",
            ExpressionAttributeValues={":one": {"N": "1"}},
        )
    with pytest.raises(dynamodb.exceptions.ConditionalCheckFailedException):
        dynamodb.put_item(
            TableName="days", Item={"pk": {"S": "d0"}}, ConditionExpression="attribute_not_exists(pk)"
        )
    first.stop()
    assert len(Journal(journal).entries()) == 6  # the table and five updates; the refused put is not there
    requests.post(f"{aws_fresh}/moto-api/reset", timeout=10)  # moto's state is gone, as in a new process

    second = EmbeddedMotoServer(port=free_port(), journal=journal)
    second.start()
    try:
        url = f"http://127.0.0.1:{second.port}"
        items = _dynamodb(url).scan(TableName="days")["Items"]
        assert sorted((i["pk"]["S"], i["n"]["N"]) for i in items) == [("d0", "3"), ("d1", "2")]
        assert second.replayed == (6, 2)
        assert [op for _, op, _ in Journal(journal).entries()] == ["CreateTable", "PutItem", "PutItem"]
        assert len(_stream_sequences(url, "days")) >= 5  # the replayed writes are on the stream again
    finally:
        second.stop()


def test_a_torn_last_line_of_the_journal_is_ignored(tmp_path):
    journal = Journal(tmp_path / "aws.journal")
    journal.append("us-east-1", "PutItem", b'{"TableName": "t"}')
    journal.close()
    with open(journal.path, "ab") as out:
        out.write(b'{"r":"us-east-1","t":"PutIt')

    assert [op for _, op, _ in journal.entries()] == ["PutItem"]


def test_the_compacted_journal_rebuilds_indexes_and_time_to_live_on_the_next_start(aws_fresh, tmp_path):
    journal = tmp_path / "aws.journal"

    def start():
        server = EmbeddedMotoServer(port=free_port(), journal=journal)
        server.start()
        return server, _dynamodb(f"http://127.0.0.1:{server.port}")

    server, dynamodb = start()
    dynamodb.create_table(
        TableName="movies",
        KeySchema=[
            {"AttributeName": "owner", "KeyType": "HASH"},
            {"AttributeName": "id", "KeyType": "RANGE"},
        ],
        AttributeDefinitions=[
            {"AttributeName": "owner", "AttributeType": "S"},
            {"AttributeName": "id", "AttributeType": "S"},
            {"AttributeName": "year", "AttributeType": "N"},
        ],
        GlobalSecondaryIndexes=[
            {
                "IndexName": "by-year",
                "KeySchema": [
                    {"AttributeName": "owner", "KeyType": "HASH"},
                    {"AttributeName": "year", "KeyType": "RANGE"},
                ],
                "Projection": {"ProjectionType": "ALL"},
            }
        ],
        BillingMode="PAY_PER_REQUEST",
    )
    dynamodb.update_time_to_live(
        TableName="movies", TimeToLiveSpecification={"Enabled": True, "AttributeName": "expires"}
    )
    dynamodb.put_item(
        TableName="movies", Item={"owner": {"S": "alice"}, "id": {"S": "tt1"}, "year": {"N": "1999"}}
    )
    server.stop()
    for _ in range(2):  # the first start replays the raw journal, the second the compacted one
        requests.post(f"{aws_fresh}/moto-api/reset", timeout=10)
        server, dynamodb = start()
        table = dynamodb.describe_table(TableName="movies")["Table"]
        ttl = dynamodb.describe_time_to_live(TableName="movies")["TimeToLiveDescription"]
        found = dynamodb.query(
            TableName="movies",
            IndexName="by-year",
            KeyConditionExpression="#o = :o",
            ExpressionAttributeNames={"#o": "owner"},
            ExpressionAttributeValues={":o": {"S": "alice"}},
        )["Items"]
        server.stop()
        assert [index["IndexName"] for index in table["GlobalSecondaryIndexes"]] == ["by-year"]
        assert ttl["AttributeName"] == "expires"
        assert [item["id"]["S"] for item in found] == ["tt1"]


def test_a_running_emulator_compacts_its_journal_and_loses_nothing(aws_fresh, tmp_path):
    journal = tmp_path / "aws.journal"
    requests.post(f"{aws_fresh}/moto-api/reset", timeout=10)  # only this test's table in moto
    server = EmbeddedMotoServer(port=free_port(), journal=journal, compact_every=4)
    server.start()
    dynamodb = _dynamodb(f"http://127.0.0.1:{server.port}")
    _table(dynamodb, "days")
    for _ in range(6):
        dynamodb.update_item(
            TableName="days",
            Key={"pk": {"S": "d0"}},
            UpdateExpression="ADD n :one",
            ExpressionAttributeValues={":one": {"N": "1"}},
        )
    server.stop()

    entries = Journal(journal).entries()
    assert len(entries) < 7  # compacted once on the way (table + item), then the writes after it
    requests.post(f"{aws_fresh}/moto-api/reset", timeout=10)
    again = EmbeddedMotoServer(port=free_port(), journal=journal)
    again.start()
    try:
        item = _dynamodb(f"http://127.0.0.1:{again.port}").get_item(TableName="days", Key={"pk": {"S": "d0"}})
        assert item["Item"]["n"] == {"N": "6"}
    finally:
        again.stop()


def test_emptying_between_tests_removes_every_item_message_and_record_but_keeps_the_resources(aws_fresh):
    from tests import emulator

    dynamodb, streams = _dynamodb(aws_fresh), _dynamodb(aws_fresh, "dynamodbstreams")
    sqs, sns, kinesis = (_dynamodb(aws_fresh, name) for name in ("sqs", "sns", "kinesis"))
    _table(dynamodb, "probe-days")
    dynamodb.put_item(TableName="probe-days", Item={"pk": {"S": "alice#1#2026-05-01"}})
    queue = sqs.create_queue(QueueName="probe-jobs")["QueueUrl"]
    sqs.send_message(QueueUrl=queue, MessageBody="scrape 1")
    sqs.send_message(QueueUrl=queue, MessageBody="scrape 2")
    sqs.receive_message(QueueUrl=queue, MaxNumberOfMessages=1)  # one in flight, one visible
    topic = sns.create_topic(Name="probe-drops")["TopicArn"]
    sns.subscribe(TopicArn=topic, Protocol="email", Endpoint="alice@example.com")
    kinesis.create_stream(StreamName="probe-rows", ShardCount=1)
    kinesis.put_record(StreamName="probe-rows", Data=b"row", PartitionKey="1")

    removed = emulator.server().empty()

    assert removed == {
        "items": 1,
        "stream_records": 1,
        "messages": 2,
        "subscriptions": 1,
        "kinesis_records": 1,
    }
    assert dynamodb.scan(TableName="probe-days")["Items"] == []
    arn = dynamodb.describe_table(TableName="probe-days")["Table"]["LatestStreamArn"]
    shard = streams.describe_stream(StreamArn=arn)["StreamDescription"]["Shards"][0]["ShardId"]
    iterator = streams.get_shard_iterator(StreamArn=arn, ShardId=shard, ShardIteratorType="TRIM_HORIZON")
    assert streams.get_records(ShardIterator=iterator["ShardIterator"])["Records"] == []
    attributes = sqs.get_queue_attributes(QueueUrl=queue, AttributeNames=["All"])["Attributes"]
    assert (
        attributes["ApproximateNumberOfMessages"],
        attributes["ApproximateNumberOfMessagesNotVisible"],
    ) == (
        "0",
        "0",
    )
    assert sns.list_subscriptions()["Subscriptions"] == []
    assert {"TopicArn": topic} in sns.list_topics()["Topics"]
    kinesis_shard = kinesis.list_shards(StreamName="probe-rows")["Shards"][0]["ShardId"]
    iterator = kinesis.get_shard_iterator(
        StreamName="probe-rows", ShardId=kinesis_shard, ShardIteratorType="TRIM_HORIZON"
    )["ShardIterator"]
    assert kinesis.get_records(ShardIterator=iterator)["Records"] == []
    # Written again after the emptying, everything works as on a new resource.
    dynamodb.put_item(TableName="probe-days", Item={"pk": {"S": "bob#2#2026-05-01"}})
    assert [i["pk"]["S"] for i in dynamodb.scan(TableName="probe-days")["Items"]] == ["bob#2#2026-05-01"]


def _client(url, service):
    return boto3.session.Session().client(
        service,
        endpoint_url=url,
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
        config=Config(retries={"max_attempts": 1}),
    )


def test_a_restarted_emulator_keeps_its_keys_messages_subscriptions_and_stream_records(aws_fresh, tmp_path):
    journal = tmp_path / "aws.journal"
    first = EmbeddedMotoServer(port=free_port(), journal=journal)
    first.start()
    url = f"http://127.0.0.1:{first.port}"
    kms, sqs, sns, kinesis = (_client(url, s) for s in ("kms", "sqs", "sns", "kinesis"))
    key = kms.create_key(Description="tokens")["KeyMetadata"]["KeyId"]
    kms.create_alias(AliasName="alias/tokens", TargetKeyId=key)
    blob = kms.encrypt(KeyId="alias/tokens", Plaintext=b"Bearer alice", EncryptionContext={"owner": "1"})[
        "CiphertextBlob"
    ]
    queue = sqs.create_queue(QueueName="fetches")["QueueUrl"]
    for body in ("one", "two"):
        sqs.send_message(QueueUrl=queue, MessageBody=body)
    assert (
        len(sqs.receive_message(QueueUrl=queue, MaxNumberOfMessages=1, VisibilityTimeout=600)["Messages"])
        == 1
    )
    topic = sns.create_topic(Name="drops")["TopicArn"]
    queue_arn = sqs.get_queue_attributes(QueueUrl=queue, AttributeNames=["QueueArn"])["Attributes"][
        "QueueArn"
    ]
    subscription = sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=queue_arn)["SubscriptionArn"]
    kinesis.create_stream(StreamName="movies", ShardCount=1)
    sequence = kinesis.put_record(StreamName="movies", Data=b"tt0000001", PartitionKey="tt0000001")[
        "SequenceNumber"
    ]
    first.stop()  # as SIGKILL leaves it: the state file was written before each answer
    requests.post(f"{aws_fresh}/moto-api/reset", timeout=10)  # moto's state is gone, as in a new process

    second = EmbeddedMotoServer(port=free_port(), journal=journal)
    second.start()
    try:
        url = f"http://127.0.0.1:{second.port}"
        kms, sqs, sns, kinesis = (_client(url, s) for s in ("kms", "sqs", "sns", "kinesis"))
        assert second.kept >= 4
        plain = kms.decrypt(CiphertextBlob=blob, EncryptionContext={"owner": "1"})["Plaintext"]
        assert plain == b"Bearer alice"
        assert kms.describe_key(KeyId="alias/tokens")["KeyMetadata"]["KeyId"] == key
        queue = sqs.get_queue_url(QueueName="fetches")["QueueUrl"]
        bodies = {m["Body"] for m in sqs.receive_message(QueueUrl=queue, MaxNumberOfMessages=10)["Messages"]}
        assert bodies == {"one", "two"}  # the one in flight (taken above) is visible again: its consumer died
        assert [
            s["SubscriptionArn"] for s in sns.list_subscriptions_by_topic(TopicArn=topic)["Subscriptions"]
        ] == [subscription]
        shard = kinesis.list_shards(StreamName="movies")["Shards"][0]["ShardId"]
        iterator = kinesis.get_shard_iterator(
            StreamName="movies", ShardId=shard, ShardIteratorType="TRIM_HORIZON"
        )["ShardIterator"]
        assert [
            (r["SequenceNumber"], r["Data"]) for r in kinesis.get_records(ShardIterator=iterator)["Records"]
        ] == [(sequence, b"tt0000001")]
        later = kinesis.put_record(StreamName="movies", Data=b"tt0000002", PartitionKey="tt0000002")
        assert int(later["SequenceNumber"]) > int(sequence)  # numbers go on, never start again
    finally:
        second.stop()
    assert (tmp_path / "aws.journal.state").exists()


def test_the_emulator_lists_no_function_url_for_a_function_and_refuses_an_unknown_one(aws_fresh):
    """`zappa update` lists the function's URLs after replacing its code; moto alone answers 404."""
    import io
    import json
    import zipfile

    from core.aws import client

    iam, lambda_client = client("iam"), client("lambda")
    role = iam.create_role(
        RoleName="alice-function-role",
        AssumeRolePolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": []}),
    )["Role"]["Arn"]
    code = io.BytesIO()
    with zipfile.ZipFile(code, "w") as archive:
        archive.writestr("handler.py", "def handler(event, context):\n    return event\n")
    lambda_client.create_function(
        FunctionName="alice-function",
        Runtime="python3.13",
        Role=role,
        Handler="handler.handler",
        Code={"ZipFile": code.getvalue()},
    )

    assert lambda_client.list_function_url_configs(FunctionName="alice-function")["FunctionUrlConfigs"] == []
    with pytest.raises(lambda_client.exceptions.ResourceNotFoundException):
        lambda_client.list_function_url_configs(FunctionName="bob-function")
