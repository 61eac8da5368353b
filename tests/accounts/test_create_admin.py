"""create_admin: a deployed stage's first admin from an SSM SecureString (the packaged zip runs it in
tests/deploy/test_deploy.py; here the command itself, against the emulator's SSM)."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from core.aws import client

pytestmark = pytest.mark.usefixtures("aws")

PARAMETER = "/serverless-django/test/admin/alice"


def _put(value, kind="SecureString"):
    client("ssm").put_parameter(Name=PARAMETER, Value=value, Type=kind, Overwrite=True)


def _create_admin(*args):
    return call_command("create_admin", "--username", "alice", *args, stdout=StringIO())


def _parameter_exists():
    ssm = client("ssm")
    try:
        ssm.get_parameter(Name=PARAMETER)
    except ssm.exceptions.ParameterNotFound:
        return False
    return True


def test_it_makes_a_superuser_with_the_parameters_password_and_deletes_the_parameter(db, monkeypatch):
    monkeypatch.setenv("SECRETS_SSM_PATH", "/serverless-django/test/")
    _put("alice-Admin-pass-2026")

    summary = _create_admin("--email", "alice@example.com")

    alice = get_user_model().objects.get(username="alice")
    assert alice.is_superuser
    assert alice.is_staff
    assert alice.email == "alice@example.com"
    assert alice.check_password("alice-Admin-pass-2026")
    assert not _parameter_exists()
    assert PARAMETER in summary


def test_a_weak_password_is_refused_with_the_rule_and_the_parameter_stays(db):
    _put("password")

    with pytest.raises(CommandError, match="too common"):
        _create_admin("--password-parameter", PARAMETER)

    assert not get_user_model().objects.filter(username="alice").exists()
    assert _parameter_exists()


def test_a_plain_string_parameter_is_refused(db):
    _put("alice-Admin-pass-2026", kind="String")

    with pytest.raises(CommandError, match="SecureString"):
        _create_admin("--password-parameter", PARAMETER)

    assert not get_user_model().objects.filter(username="alice").exists()


def test_an_existing_user_is_left_alone(db, alice):
    _put("bob-Takes-over-2026")
    before = get_user_model().objects.get(username="alice").password

    with pytest.raises(CommandError, match="already exists"):
        _create_admin("--password-parameter", PARAMETER)

    alice = get_user_model().objects.get(username="alice")
    assert alice.password == before
    assert not alice.is_superuser


def test_without_a_secrets_path_it_asks_for_the_parameter(db, monkeypatch):
    monkeypatch.delenv("SECRETS_SSM_PATH", raising=False)

    with pytest.raises(CommandError, match="--password-parameter"):
        _create_admin()
