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
* **The rest of what AWS keeps.** KMS keys (their key material: a stored ciphertext decrypts after
  a restart), SQS queues and their messages, SNS topics and subscriptions, and Kinesis streams and
  their records are kept in a *state file* beside the journal (``<journal>.state``): after every
  request that changed one of them (any action but Get/List/Describe/Encrypt/Decrypt..., and a
  ReceiveMessage only when it handed out messages), under one lock, before the response is sent,
  those four backends are pickled to a new file that replaces the old one (``os.replace``: the file
  is whole, old or new, after a SIGKILL). At start it is loaded back into moto. Why a snapshot and
  not a journal of requests, as for DynamoDB: replaying them would make new key material, new
  message ids and receipt handles, new subscription ARNs and new sequence numbers, none of which
  the product's stored ciphertexts, subscription ARNs and stream checkpoints would match; the
  state is small on a laptop (pickling it costs ~1 ms per hundred messages or records; a 4,000-row
  scrape's stream ~10 ms), and written only when it changed. A message that was received but not
  deleted when the process died is visible again at start, as SQS makes it visible again when its
  consumer dies. Why not rebuild them from the database at start: the key material of a KMS key
  exists nowhere else, and records on a stream or messages on a queue were acknowledged by AWS,
  not yet by the product.
* **Speed of GetRecords.** moto answers a stream's GetRecords through its generic, model-walking
  serializer: ~1 ms per record here, which alone capped the local archive below 1,000 records/s.
  :func:`_fast_get_records` answers it from moto's own backend as plain JSON (the same document);
  anything it cannot answer (an unknown iterator...) goes to moto as before, for moto's error.
* **Lambda's ListFunctionUrlConfigs.** moto 5.2 does not know it (a 404 page), and ``zappa update``
  calls it after replacing the code, swallowing only AccessDenied: update stopped there, before the
  schedules and event-source mappings were made again. :func:`_function_url_configs` answers what AWS
  answers for a function without a URL (``{"FunctionUrlConfigs": []}``) when moto has the function,
  and moto's own ResourceNotFound when it has not; every other Lambda request goes to moto.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import pickle
import re
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
# The services whose state the state file keeps (by the SigV4 credential scope's service name).
STATEFUL = ("kms", "sqs", "sns", "kinesis")
_READ_ONLY = (
    "Get",
    "List",
    "Describe",
    "Encrypt",
    "Decrypt",
    "GenerateDataKey",
    "GenerateRandom",
    "Sign",
    "Verify",
    "ReceiveMessage",  # unless it handed out messages (their receive counts changed)
)


def _region(environ: dict[str, Any]) -> str:
    """The region of a SigV4-signed request (its credential scope), else us-east-1."""
    auth = environ.get("HTTP_AUTHORIZATION") or ""
    try:
        return auth.split(",")[0].split()[1].split("/")[2]
    except IndexError:
        return "us-east-1"


def _service(environ: dict[str, Any]) -> str:
    """The service a SigV4-signed request is for (its credential scope), else ""."""
    auth = environ.get("HTTP_AUTHORIZATION") or ""
    try:
        return auth.split(",")[0].split()[1].split("/")[3]
    except IndexError:
        return ""


def _action(environ: dict[str, Any], body: bytes) -> str:
    """The API action: the JSON protocols' X-Amz-Target, or the query protocol's Action field."""
    target = environ.get("HTTP_X_AMZ_TARGET") or ""
    if target:
        return target.rpartition(".")[2]
    from urllib.parse import parse_qs

    query = parse_qs(environ.get("QUERY_STRING") or "")
    with contextlib.suppress(UnicodeDecodeError):
        query.update(parse_qs(body.decode()))
    return (query.get("Action") or [""])[0]


def _backends() -> dict[str, Any]:
    from moto.kinesis.models import kinesis_backends
    from moto.kms.models import kms_backends
    from moto.sns.models import sns_backends
    from moto.sqs.models import sqs_backends

    return {"kms": kms_backends, "sqs": sqs_backends, "sns": sns_backends, "kinesis": kinesis_backends}


class _StatePickler(pickle.Pickler):
    """Pickles moto's backends: a lock is pickled as a new lock, a private key as its PEM."""

    def reducer_override(self, obj: Any) -> Any:
        if isinstance(obj, _LOCK_TYPES):
            return (threading.RLock if isinstance(obj, _RLOCK) else threading.Lock), ()
        if hasattr(obj, "private_bytes") and hasattr(obj, "public_key"):  # cryptography's private keys
            from cryptography.hazmat.primitives import serialization

            pem = obj.private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
            return _load_private_key, (pem,)
        return NotImplemented


_RLOCK = type(threading.RLock())
_LOCK_TYPES = (type(threading.Lock()), _RLOCK)


def _load_private_key(pem: bytes) -> Any:
    from cryptography.hazmat.primitives import serialization

    return serialization.load_pem_private_key(pem, password=None)


class StateFile:
    """Where KMS, SQS, SNS and Kinesis are kept between two runs (a pickle of moto's backends)."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        self.saved = 0

    def save(self) -> None:
        state = {
            name: {
                account: dict(dict.items(regions))
                for account, regions in dict.items(backends)
                if len(regions)
            }
            for name, backends in _backends().items()
        }
        buffer = io.BytesIO()
        _StatePickler(buffer, protocol=pickle.HIGHEST_PROTOCOL).dump(state)
        temporary = self.path.with_suffix(self.path.suffix + ".tmp")
        temporary.write_bytes(buffer.getvalue())
        os.replace(temporary, self.path)  # whole, old or new, whenever the process dies
        self.saved += 1

    def load(self) -> int:
        """Put the kept backends back into moto; how many region backends came back."""
        if not self.path.exists():
            return 0
        try:
            state = pickle.loads(self.path.read_bytes())
        except Exception as exc:  # another moto version, a damaged file: start empty, say so
            aside = self.path.with_suffix(self.path.suffix + ".unreadable")
            os.replace(self.path, aside)
            import sys

            print(f"The emulator's state file could not be read ({exc!r}); kept as {aside}.", file=sys.stderr)
            return 0
        backends = _backends()
        restored = 0
        for name, accounts in state.items():
            for account, regions in accounts.items():
                for region, backend in regions.items():
                    backends[name][account][region] = backend
                    restored += 1
                    if name == "sqs":  # their consumers died with the process: visible again now
                        for queue in backend.queues.values():
                            for message in queue._messages:
                                message.visible_at = 0.0
        return restored

    def clear(self) -> None:
        self.path.unlink(missing_ok=True)


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
            # O_BINARY (Windows only, 0 elsewhere): no "\n" -> "\r\n" translation, one line is one write.
            flags = os.O_WRONLY | os.O_APPEND | os.O_CREAT | getattr(os, "O_BINARY", 0)
            self._fd = os.open(self.path, flags, 0o600)
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
        self,
        app: Any,
        *,
        journal: Journal | None = None,
        compact_every: int = COMPACT_EVERY,
        state: StateFile | None = None,
    ) -> None:
        self.app = app
        self.journal = journal
        self.state = state
        self.compact_every = compact_every
        self.regions: set[str] = set()
        self.lock = threading.Lock()
        self.state_lock = threading.Lock()

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        target = environ.get("HTTP_X_AMZ_TARGET") or ""
        if environ.get("REQUEST_METHOD") == "GET" and _FUNCTION_URLS.fullmatch(
            environ.get("PATH_INFO") or ""
        ):
            return _function_url_configs(self.app, environ, start_response)
        if environ.get("PATH_INFO") == "/moto-api/reset":
            with self.lock, self.state_lock:
                if self.journal is not None:
                    self.journal.truncate()
                if self.state is not None:
                    self.state.clear()
                return list(self.app(environ, start_response))
        if self.state is not None and _service(environ) in STATEFUL:
            return self._kept(environ, start_response)
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

    def _kept(self, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        """A KMS, SQS, SNS or Kinesis request: answered, then (if it changed something) the state
        file saved, both under one lock, before the response leaves."""
        assert self.state is not None
        length = int(environ.get("CONTENT_LENGTH") or 0)
        body = environ["wsgi.input"].read(length) if length else b""
        environ["wsgi.input"] = io.BytesIO(body)
        action = _action(environ, body)
        captured: list[Any] = []

        def capture(status: str, headers: list, exc_info: Any = None) -> Any:
            captured[:] = [status, headers, exc_info]
            return lambda data: None

        with self.state_lock:
            chunks = list(self.app(environ, capture))
            status = captured[0] if captured else "500 INTERNAL SERVER ERROR"
            changed = status.startswith("2") and (
                not action.startswith(_READ_ONLY)
                or (action == "ReceiveMessage" and any(b"ReceiptHandle" in chunk for chunk in chunks))
            )
            if changed:
                self.state.save()
        start_response(*captured)
        return chunks


_FUNCTION_URLS = re.compile(r"/2021-10-31/functions/(?P<function>[^/]+)/urls")


def _function_url_configs(app: Any, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
    """ListFunctionUrlConfigs, which moto lacks: no URL for a function moto has (it never creates
    one: CreateFunctionUrlConfig is not what the product deploys), moto's answer (404) otherwise."""
    match = _FUNCTION_URLS.fullmatch(environ["PATH_INFO"])
    assert match is not None
    path = f"/2015-03-31/functions/{match['function']}"
    lookup = {
        **environ,
        "PATH_INFO": path,
        "RAW_URI": path,
        "REQUEST_URI": path,
        "QUERY_STRING": "",
        "wsgi.input": io.BytesIO(b""),
        "CONTENT_LENGTH": "0",
    }
    captured: list[Any] = []

    def capture(status: str, headers: list, exc_info: Any = None) -> Any:
        captured[:] = [status, headers, exc_info]
        return lambda data: None

    chunks = list(app(lookup, capture))
    if not captured or not captured[0].startswith("200"):
        start_response(*(captured or ["500 INTERNAL SERVER ERROR", [], None]))
        return chunks
    body = b'{"FunctionUrlConfigs": []}'
    start_response("200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
    return [body]


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
        self.state = StateFile(f"{journal}.state") if journal else None
        self.replayed = (0, 0)
        self.kept = 0  # region backends of KMS, SQS, SNS and Kinesis loaded from the state file
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
        if self.state is not None:
            self.kept = self.state.load()
        self.app = SerializingApp(
            moto_app, journal=self.journal, compact_every=self.compact_every, state=self.state
        )
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
