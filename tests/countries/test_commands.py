from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command

from countries.models import FetchRequest

pytestmark = pytest.mark.django_db(transaction=True)


def test_fetch_country_queues_each_code_and_says_so(alice, aws, capsys):
    call_command("fetch_country", "py", "BR", "--user", "alice")

    out = capsys.readouterr().out
    assert "of PY: queued" in out
    assert "of BR: queued" in out
    assert set(FetchRequest.objects.values_list("code", "trigger")) == {("PY", "command"), ("BR", "command")}


def test_fetch_country_refuses_a_bad_code_or_an_unknown_user_in_one_line(aws):
    with pytest.raises(CommandError, match="'COL' is not a country code"):
        call_command("fetch_country", "COL")
    with pytest.raises(CommandError, match="No user named 'nobody'"):
        call_command("fetch_country", "PY", "--user", "nobody")


def test_requeue_pending_fetches_sends_the_pending_ones(aws):
    request = FetchRequest.objects.create(code="PY")

    assert (
        call_command("requeue_pending_fetches", "--older-than", "0")
        == "Requeued 1 pending fetches; 0 still pending."
    )
    request.refresh_from_db()
    assert request.status == "queued"
    assert call_command("requeue_pending_fetches") == "Requeued 0 pending fetches; 0 still pending."


def test_requeue_pending_fetches_refuses_nonsense_options(aws):
    with pytest.raises(CommandError):
        call_command("requeue_pending_fetches", "--limit", "0")
