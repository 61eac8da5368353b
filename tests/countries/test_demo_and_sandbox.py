from __future__ import annotations

import time

import pytest
import requests

from countries import selectors
from countries.models import FetchRequest

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_demo_stores_two_countries_queues_one_and_loads_nothing_twice(alice, upstream, runner):
    from core.contract.registry import demo_loaders

    (load,) = [loader for config, loader in demo_loaders() if config.label == "countries"]

    assert load(user=alice) == "2 countries stored, 1 queued for the worker"
    assert selectors.country_document_get(code="PY")["name"]["common"] == "Paraguay"
    assert selectors.country_document_get(code="BR")["name"]["common"] == "Brazil"
    runner.drain()
    assert selectors.country_document_get(code="CO")["name"]["common"] == "Colombia"

    assert load(user=alice) == "0 countries stored, 0 queued for the worker"
    assert FetchRequest.objects.filter(owner=alice).count() == 3


def test_the_hot_item_restorer_is_declared():
    from core.contract.registry import hot_item_restorers

    assert "countries" in {config.label for config, _ in hot_item_restorers()}


def test_the_stand_in_answers_the_real_documents_in_an_array_and_404s_the_rest(upstream):
    answer = requests.get(f"{upstream.url}/v3.1/alpha/py", timeout=5)
    assert answer.status_code == 200
    (document,) = answer.json()
    assert document["cca2"] == "PY"

    missing = requests.get(f"{upstream.url}/v3.1/alpha/FJ", timeout=5)
    assert (missing.status_code, missing.json()) == (404, {"status": 404, "message": "Not Found"})


def test_the_stand_ins_switches_fail_and_slow_down(upstream):
    base = upstream.url
    assert requests.get(f"{base}/fail/503/v3.1/alpha/PY", timeout=5).status_code == 503
    assert requests.get(f"{base}/fail/200/v3.1/alpha/PY", timeout=5).status_code == 400
    started = time.monotonic()
    assert requests.get(f"{base}/slow/300/v3.1/alpha/PY", timeout=5).status_code == 200
    assert time.monotonic() - started >= 0.3
