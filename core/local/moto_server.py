"""moto's server made atomic and durable enough to be the laptop's only copy of the hot tables.

Standard library, werkzeug and moto only (no Django): tests/settings.py starts it before Django's
settings exist. Two things moto's own ``ThreadedMotoServer`` lacks, hand-written here because no
package adds them (LocalStack needs Docker; moto's ``TEST_SERVER_MODE`` persistence is per test):

* **Atomicity.** moto's DynamoDB backend has no locks: two threads of its threaded server running
  ``UpdateItem ... ADD`` on one item read the same old value and one update is lost (2 of 2,000 with
  20 threads), and two stream records can get the same sequence number. Real DynamoDB is atomic per
  item. :class:`SerializingApp` runs every DynamoDB and DynamoDB Streams request under one lock (a
  global lock is the simplest order that is correct, and moto runs under the GIL anyway: measured
  cost in bench/README.md); other services run as before.
* **Durability.** With a ``journal`` path, every DynamoDB request that changed something (status
  200 and a mutating operation) is appended to the journal, under the same lock, *before* its
  response is sent: a write the product acknowledged is on disk (in the page cache: it survives a
  SIGKILL or crash of the process; with ``fsync`` also a power cut). At start the journal is
  replayed into the fresh backend (then compacted to one CreateTable per table and one PutItem per
  item, as it is again every 20,000 writes while running), so tables and items come back as they were; their streams hold one record per item
  again, and the (idempotent) stream handlers see them once more. ``/moto-api/reset`` empties it.
  Only DynamoDB is journaled: queues, topics and Kinesis streams start empty after a restart.
* **Speed of GetRecords.** moto answers a stream's GetRecords through its generic, model-walking
  serializer: ~1 ms per record here, which alone capped the local archive below 1,000 records/s.
  :func:`_fast_get_records` answers it from moto's own backend as plain JSON (the same document);
  anything it cannot answer (an unknown iterator...) goes to moto as before, for moto's error.
"""

from __future__ import annotations

import io
import json
import os
import threading
from collections.abc import Iterable
from pathlib import Path
from typing import Any

MUTATING = frozenset(
    {
        "CreateTable",
        "DeleteTable",
        "UpdateTable",
        "UpdateTimeToLive",
        "PutItem",
        "UpdateItem",
        "DeleteItem",
        "BatchWriteItem",
        "TransactWriteItems",
        "ExecuteStatement",
        "BatchExecuteStatement",
        "ExecuteTransaction",
        "TagResource",
        "UntagResource",
    }
)
_SERIALIZED_PREFIXES = ("DynamoDB_", "DynamoDBStreams_")
_DYNAMODB_TARGET = "DynamoDB_20120810"


def _region(environ: dict[str, Any]) -> str:
    """The region of a SigV4-signed request (its credential scope), else us-east-1."""
    auth = environ.get("HTTP_AUTHORIZATION") or ""
    try:
        return auth.split(",")[0].split()[1].split("/")[2]
    except IndexError:
        return "us-east-1"


class Journal:
    """An append-only file of the mutating DynamoDB requests, one JSON line each."""

    def __init__(self, path: Path | str, *, fsync: bool = False) -> None:
        self.path = Path(path)
        self.fsync = fsync
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._fd: int | None = None
        self.appended = 0

    def entries(self) -> list[tuple[str, str, bytes]]:
        """(region, operation, body) of every complete line; a torn last line was never acknowledged."""
        if not self.path.exists():
            return []
        entries = []
        for line in self.path.read_bytes().split(b"\n"):
            if not line.strip():
                continue
            try:
                entry = json.loads(line)
                entries.append((entry["r"], entry["t"], entry["b"].encode()))
            except (ValueError, KeyError):
                continue
        return entries

    def _open(self) -> int:
        if self._fd is None:
            self._fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        return self._fd

    def append(self, region: str, operation: str, body: bytes) -> None:
        line = json.dumps({"r": region, "t": operation, "b": body.decode()}, separators=(",", ":"))
        fd = self._open()
        os.write(fd, line.encode() + b"\n")  # one write: a line is whole or torn, never interleaved
        if self.fsync:
            os.fsync(fd)
        self.appended += 1

    def replace(self, entries: Iterable[tuple[str, str, bytes]]) -> None:
        """Atomically make ``entries`` the journal (write a new file, fsync it, rename it over)."""
        self.close()
        temporary = self.path.with_suffix(self.path.suffix + ".tmp")
        with open(temporary, "wb") as out:
            for region, operation, body in entries:
                out.write(
                    json.dumps(
                        {"r": region, "t": operation, "b": body.decode()}, separators=(",", ":")
                    ).encode()
                    + b"\n"
                )
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, self.path)

    def truncate(self) -> None:
        self.close()
        self.path.write_bytes(b"")

    def close(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None


COMPACT_EVERY = 20_000  # journaled writes between two compactions of a running emulator


class SerializingApp:
    """WSGI middleware around moto's app: DynamoDB requests one at a time, changes journaled.

    Every ``compact_every`` journaled writes the journal is compacted in place (under the lock, so
    requests wait for it: about a scan of the tables), which keeps a long session's restart short.
    """

    def __init__(
        self, app: Any, *, journal: Journal | None = None, compact_every: int = COMPACT_EVERY
    ) -> None:
        self.app = app
        self.journal = journal
        self.compact_every = compact_every
        self.regions: set[str] = set()
        self.lock = threading.Lock()

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        target = environ.get("HTTP_X_AMZ_TARGET") or ""
        if environ.get("PATH_INFO") == "/moto-api/reset":
            with self.lock:
                if self.journal is not None:
                    self.journal.truncate()
                return list(self.app(environ, start_response))
        if not target.startswith(_SERIALIZED_PREFIXES):
            return self.app(environ, start_response)
        length = int(environ.get("CONTENT_LENGTH") or 0)
        body = environ["wsgi.input"].read(length) if length else b""
        environ["wsgi.input"] = io.BytesIO(body)
        operation = target.rpartition(".")[2]
        captured: list[Any] = []

        def capture(status: str, headers: list, exc_info: Any = None) -> Any:
            captured[:] = [status, headers, exc_info]
            return lambda data: None

        with self.lock:
            if operation == "GetRecords" and target.startswith("DynamoDBStreams_"):
                fast = _fast_get_records(_region(environ), body)
                if fast is not None:
                    start_response(
                        "200 OK",
                        [("Content-Type", "application/x-amz-json-1.0"), ("Content-Length", str(len(fast)))],
                    )
                    return [fast]
            chunks = list(self.app(environ, capture))  # the whole response, inside the lock
            status = captured[0] if captured else "500 INTERNAL SERVER ERROR"
            if (
                self.journal is not None
                and operation in MUTATING
                and target.startswith("DynamoDB_")
                and status.startswith("200")
            ):
                region = _region(environ)
                self.journal.append(region, operation, body)
                self.regions.add(region)
                if self.journal.appended >= self.compact_every:
                    self.journal.replace(_snapshot(self.app, self.regions))
                    self.journal.appended = 0
        start_response(*captured)
        return chunks


def _json_default(value: Any) -> Any:
    if hasattr(value, "timestamp"):
        return value.timestamp()
    if isinstance(value, (set, frozenset)):
        return sorted(value)
    raise TypeError(f"{type(value).__name__} is not JSON")


def _fast_get_records(region: str, body: bytes) -> bytes | None:
    """A DynamoDB Streams GetRecords answer straight from moto's backend, or None to let moto answer."""
    try:
        from moto.core import DEFAULT_ACCOUNT_ID
        from moto.dynamodbstreams.models import dynamodbstreams_backends

        request = json.loads(body or b"{}")
        backend = dynamodbstreams_backends[os.environ.get("MOTO_ACCOUNT_ID", DEFAULT_ACCOUNT_ID)][region]
        if request["ShardIterator"] not in backend.shard_iterators:
            return None
        result = backend.get_records(request["ShardIterator"], int(request.get("Limit") or 1000))
        return json.dumps(result, default=_json_default, separators=(",", ":")).encode()
    except Exception:
        return None


def _call(app: Any, region: str, operation: str, body: bytes) -> tuple[int, dict]:
    """One DynamoDB request straight into the WSGI app (no socket), as boto3 would send it."""
    from werkzeug.test import Client

    response = Client(app).post(
        "/",
        data=body,
        headers={
            "X-Amz-Target": f"{_DYNAMODB_TARGET}.{operation}",
            "Content-Type": "application/x-amz-json-1.0",
            "Authorization": (
                f"AWS4-HMAC-SHA256 Credential=testing/20260101/{region}/dynamodb/aws4_request, "
                "SignedHeaders=host, Signature=0"
            ),
        },
    )
    text = response.get_data()
    return response.status_code, (json.loads(text) if text else {})


def _table_request(description: dict) -> dict:
    """CreateTable arguments that rebuild a table as DescribeTable shows it."""
    request: dict[str, Any] = {
        "TableName": description["TableName"],
        "KeySchema": description["KeySchema"],
        "AttributeDefinitions": description["AttributeDefinitions"],
    }
    mode = (description.get("BillingModeSummary") or {}).get("BillingMode", "PROVISIONED")
    request["BillingMode"] = mode
    throughput = description.get("ProvisionedThroughput") or {}

    def provisioned(source: dict) -> dict:
        return {
            "ReadCapacityUnits": max(1, int(source.get("ReadCapacityUnits") or 1)),
            "WriteCapacityUnits": max(1, int(source.get("WriteCapacityUnits") or 1)),
        }

    if mode == "PROVISIONED":
        request["ProvisionedThroughput"] = provisioned(throughput)
    for kind in ("GlobalSecondaryIndexes", "LocalSecondaryIndexes"):
        indexes = []
        for index in description.get(kind) or []:
            wanted = {k: index[k] for k in ("IndexName", "KeySchema", "Projection") if k in index}
            if kind == "GlobalSecondaryIndexes" and mode == "PROVISIONED":
                wanted["ProvisionedThroughput"] = provisioned(index.get("ProvisionedThroughput") or {})
            indexes.append(wanted)
        if indexes:
            request[kind] = indexes
    stream = description.get("StreamSpecification")
    if stream and stream.get("StreamEnabled"):
        request["StreamSpecification"] = {"StreamEnabled": True, "StreamViewType": stream["StreamViewType"]}
    return request


def _snapshot(app: Any, regions: set[str]) -> list[tuple[str, str, bytes]]:
    """The journal that rebuilds the backend's current tables and items (the compacted form)."""
    entries: list[tuple[str, str, bytes]] = []

    def add(region: str, operation: str, request: dict) -> None:
        entries.append((region, operation, json.dumps(request, separators=(",", ":")).encode()))

    for region in sorted(regions):
        _, listing = _call(app, region, "ListTables", b"{}")
        for name in listing.get("TableNames", []):
            _, described = _call(app, region, "DescribeTable", json.dumps({"TableName": name}).encode())
            add(region, "CreateTable", _table_request(described["Table"]))
            _, ttl = _call(app, region, "DescribeTimeToLive", json.dumps({"TableName": name}).encode())
            ttl_state = ttl.get("TimeToLiveDescription") or {}
            if ttl_state.get("TimeToLiveStatus") in ("ENABLED", "ENABLING"):
                add(
                    region,
                    "UpdateTimeToLive",
                    {
                        "TableName": name,
                        "TimeToLiveSpecification": {
                            "Enabled": True,
                            "AttributeName": ttl_state["AttributeName"],
                        },
                    },
                )
            start: dict | None = None
            while True:
                scan: dict[str, Any] = {"TableName": name}
                if start:
                    scan["ExclusiveStartKey"] = start
                _, page = _call(app, region, "Scan", json.dumps(scan).encode())
                for item in page.get("Items", []):
                    add(region, "PutItem", {"TableName": name, "Item": item})
                start = page.get("LastEvaluatedKey")
                if not start:
                    break
    return entries


def replay(app: Any, journal: Journal) -> tuple[int, int]:
    """Re-run the journal into ``app`` (a fresh backend), then compact it; (replayed, items kept)."""
    entries = journal.entries()
    for region, operation, body in entries:
        _call(app, region, operation, body)  # a request that failed the first time was never journaled
    if not entries:
        return 0, 0
    compacted = _snapshot(app, {region for region, _, _ in entries})
    journal.replace(compacted)
    return len(entries), sum(1 for _, operation, _ in compacted if operation == "PutItem")


def empty_resources(lock: threading.Lock | None = None) -> dict[str, int]:
    """Empty every resource of the in-process backends, keeping the resources themselves.

    What a test suite needs between two tests: every DynamoDB table's items and stream records, every
    SQS queue's messages (visible, in flight, delayed and the deduplication memory), every SNS
    subscription and sent notification, and every Kinesis shard's records go; tables, queues, topics,
    streams, keys and their settings stay, so nothing has to be provisioned again. It works on moto's
    backends in this process (no request per table or queue, which cost ~180 ms a test over HTTP),
    under ``lock`` (the :class:`SerializingApp`'s) so no DynamoDB request runs half-emptied.
    Returns how many items, messages, subscriptions and records it removed, by kind.
    """
    from moto.dynamodb.models import dynamodb_backends
    from moto.dynamodbstreams.models import dynamodbstreams_backends
    from moto.kinesis.models import kinesis_backends
    from moto.sns.models import sns_backends
    from moto.sqs.models import sqs_backends

    removed = {"items": 0, "stream_records": 0, "messages": 0, "subscriptions": 0, "kinesis_records": 0}

    def regional(backends: Any) -> Iterable[Any]:
        for account in list(backends):
            yield from list(dict.values(backends[account]))  # only the regions in use: no new backends

    with lock or threading.Lock():
        for backend in regional(dynamodb_backends):
            for table in backend.tables.values():
                removed["items"] += sum(
                    len(value) if table.has_range_key else 1 for value in table.items.values()
                )
                table.items.clear()
                if table.stream_shard is not None:
                    removed["stream_records"] += len(table.stream_shard.items)
                    table.stream_shard.items = []
        for backend in regional(dynamodbstreams_backends):
            backend.shard_iterators.clear()
    for backend in regional(sqs_backends):
        for queue in backend.queues.values():
            with queue._messages_lock:
                removed["messages"] += len(queue._messages)
                queue._messages = []
                queue._pending_messages = set()
                queue.deleted_messages = set()
    for backend in regional(sns_backends):
        removed["subscriptions"] += len(backend.subscriptions)
        backend.subscriptions.clear()
        backend.sms_messages.clear()
        for topic in backend.topics.values():
            topic.sent_notifications = []
            topic.subscriptions_pending = topic.subscriptions_confimed = topic.subscriptions_deleted = 0
    for backend in regional(kinesis_backends):
        for stream in backend.streams.values():
            for shard in stream.shards.values():
                removed["kinesis_records"] += len(shard.records)
                shard.records.clear()
    return removed


class EmbeddedMotoServer:
    """moto's threaded server on ``host:port`` with :class:`SerializingApp` in front of it."""

    def __init__(
        self,
        *,
        host: str = "127.0.0.1",
        port: int,
        journal: Path | str | None = None,
        fsync: bool = False,
        compact_every: int = COMPACT_EVERY,
    ) -> None:
        self.host = host
        self.port = port
        self.compact_every = compact_every
        self.journal = Journal(journal, fsync=fsync) if journal else None
        self.replayed = (0, 0)
        self._server: Any = None
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        from moto.moto_server.werkzeug_app import (
            DomainDispatcherApplication,
            MotoRequestHandler,
            create_backend_app,
        )
        from werkzeug.serving import make_server

        class QuietHandler(MotoRequestHandler):
            def log_request(self, *args: Any, **kwargs: Any) -> None:  # one line per request is noise
                pass

        moto_app = DomainDispatcherApplication(create_backend_app)
        if self.journal is not None:
            self.replayed = replay(moto_app, self.journal)
        self.app = SerializingApp(moto_app, journal=self.journal, compact_every=self.compact_every)
        if self.journal is not None:
            self.app.regions = {region for region, _, _ in self.journal.entries()}
        self._server = make_server(
            self.host, self.port, self.app, threaded=True, request_handler=QuietHandler
        )
        self._thread = threading.Thread(target=self._server.serve_forever, name="moto", daemon=True)
        self._thread.start()

    def empty(self) -> dict[str, int]:
        """Empty every table, queue, subscription and stream, keeping them (:func:`empty_resources`)."""
        return empty_resources(self.app.lock)

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
        if self._thread is not None:
            self._thread.join(timeout=10)
            self._thread = None
        if self.journal is not None:
            self.journal.close()
