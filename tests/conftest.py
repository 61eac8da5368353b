"""Test fixtures shared by every app: the embedded AWS, personas and their clients.

The emulator itself is started by tests/aws_bootstrap.py (loaded with ``-p`` before Django's
settings), so every boto3/PynamoDB call in the product goes over HTTP to moto, as it would to AWS.
"""

import os

import pytest


@pytest.fixture
def moto_url() -> str:
    return os.environ["AWS_ENDPOINT_URL"]


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
