"""The embedded AWS of the local stage: moto's server on loopback, in this process.

``devserver`` (and the test suite) start it when no real AWS endpoint or profile is configured;
everything else reaches it through AWS_ENDPOINT_URL, exactly as it would reach real AWS. It is
core.local.moto_server's server: DynamoDB requests serialized (atomic as DynamoDB is) and, with a
``journal``, every acknowledged DynamoDB write kept on disk and replayed at the next start, and
KMS keys, SQS messages, SNS subscriptions and Kinesis records kept in the state file beside it.
"""

from __future__ import annotations

import os
import socket
from typing import TYPE_CHECKING

from django.core.management.base import CommandError

if TYPE_CHECKING:
    from core.local.moto_server import EmbeddedMotoServer

FAKE_CREDENTIALS = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_SESSION_TOKEN": "testing",
}


def real_aws_configured() -> bool:
    """True when the environment names a real AWS endpoint or credentials: never emulate then."""
    return bool(
        os.environ.get("AWS_ENDPOINT_URL")
        or os.environ.get("AWS_PROFILE")
        or os.environ.get("AWS_ACCESS_KEY_ID")
    )


def port_is_free(port: int, host: str = "127.0.0.1") -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        # Like the server itself, ignore connections of a previous run still in TIME_WAIT.
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError:
            return False
    return True


class Emulator:
    """The embedded moto server bound to 127.0.0.1:port, exported through the environment."""

    def __init__(self, *, port: int, region: str, journal: str | None = None, fsync: bool = False) -> None:
        self.port = port
        self.region = region
        self.journal = journal if journal and journal != "off" else None
        self.fsync = fsync
        self.replayed = (0, 0)
        self.kept = 0
        self._server: EmbeddedMotoServer | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> str:
        if not port_is_free(self.port):
            raise CommandError(
                f"Port {self.port} is taken: set LOCAL_AWS_PORT to a free port for the embedded AWS."
            )
        from core.local.moto_server import EmbeddedMotoServer

        server = EmbeddedMotoServer(port=self.port, journal=self.journal, fsync=self.fsync)
        server.start()
        self.replayed = server.replayed
        self.kept = server.kept
        self._server = server
        os.environ.update(FAKE_CREDENTIALS)
        os.environ["AWS_ENDPOINT_URL"] = self.url
        os.environ.setdefault("AWS_DEFAULT_REGION", self.region)
        from core.aws import reset_clients

        reset_clients()
        return self.url

    def stop(self) -> None:
        if self._server is not None:
            self._server.stop()
            self._server = None
