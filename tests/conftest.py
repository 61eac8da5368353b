"""Test fixtures shared by every app: the real embedded AWS (moto's server), personas, clients.

The suite starts one moto server on a free loopback port before Django's settings load, so
every boto3/PynamoDB call in the product goes over HTTP to it, as it would to AWS. Each test
that touches AWS gets freshly provisioned, empty resources.
"""

import os
import socket

import pytest


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


os.environ.setdefault("STAGE", "test")
for _var in ("AWS_PROFILE", "AWS_ENDPOINT_URL"):
    os.environ.pop(_var, None)

from moto.server import ThreadedMotoServer  # noqa: E402

_MOTO_PORT = _free_port()
_moto = ThreadedMotoServer(ip_address="127.0.0.1", port=_MOTO_PORT, verbose=False)
_moto.start()
os.environ.update(
    {
        "AWS_ENDPOINT_URL": f"http://127.0.0.1:{_MOTO_PORT}",
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_SESSION_TOKEN": "testing",
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_REGION": "us-east-1",
    }
)


def pytest_unconfigure(config):
    _moto.stop()


@pytest.fixture
def moto_url() -> str:
    return f"http://127.0.0.1:{_MOTO_PORT}"


@pytest.fixture
def aws(moto_url):
    """Empty, freshly provisioned AWS resources on the emulator for this test."""
    import requests

    from core.aws import reset_clients
    from core.dynamo import iter_models
    from core.provisioning import aws_provision

    requests.post(f"{moto_url}/moto-api/reset", timeout=10)
    reset_clients()
    for model in iter_models():
        model._connection = None
    aws_provision()
    return moto_url


@pytest.fixture
def alice(db, aws):
    from core.services import user_create

    return user_create(username="alice", password="alice-Pass-2026!", time_zone="Europe/Paris")


@pytest.fixture
def bob(db, aws):
    from core.services import user_create

    return user_create(username="bob", password="bob-Pass-2026!", time_zone="America/Los_Angeles")


@pytest.fixture
def alice_client(alice):
    from django.test import Client

    client = Client()
    client.force_login(alice)
    return client


@pytest.fixture
def api_alice(alice):
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_authenticate(alice)
    return client


@pytest.fixture
def api_bob(bob):
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_authenticate(bob)
    return client
