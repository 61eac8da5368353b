"""The API root (/api/): every endpoint, with URLs right for the stage, reversed once per process."""

from __future__ import annotations

import pytest
from django.urls import set_script_prefix
from django.urls.resolvers import URLResolver

pytestmark = pytest.mark.django_db


@pytest.fixture
def reverses(monkeypatch):
    """Counts Django's URL reversals (every ``reverse`` ends in ``_reverse_with_prefix``)."""
    calls = []
    original = URLResolver._reverse_with_prefix

    def counted(self, lookup_view, _prefix, *args, **kwargs):
        calls.append(lookup_view)
        return original(self, lookup_view, _prefix, *args, **kwargs)

    monkeypatch.setattr(URLResolver, "_reverse_with_prefix", counted)
    return calls


def test_api_root_reverses_its_entries_once_not_on_every_request(client, reverses):
    first = client.get("/api/", HTTP_ACCEPT="application/json")
    reversed_by_first = len(reverses)
    second = client.get("/api/", HTTP_ACCEPT="application/json")

    assert second.json() == first.json()
    assert {"routines", "me", "schema", "docs"} <= set(second.json())
    assert len(reverses) == reversed_by_first  # the second request reversed nothing


def test_api_root_links_follow_the_stage_prefix_and_host_of_each_request(client, settings):
    settings.ALLOWED_HOSTS = ["testserver", "abc.example.com"]
    plain = client.get("/api/", HTTP_ACCEPT="application/json").json()
    set_script_prefix("/dev/")  # what Django's WSGI handler does for API Gateway's SCRIPT_NAME=/dev
    staged = client.get("/api/", HTTP_ACCEPT="application/json", HTTP_HOST="abc.example.com").json()
    set_script_prefix("/")
    plain_again = client.get("/api/", HTTP_ACCEPT="application/json").json()

    assert plain["routines"] == "http://testserver/api/routines/"
    assert staged["routines"] == "http://abc.example.com/dev/api/routines/"
    assert staged["schema"] == "http://abc.example.com/dev/api/schema/"
    assert plain_again == plain


def test_api_root_links_keep_the_format_the_client_asked_for(client):
    listed = client.get("/api/?format=json").json()

    assert listed["routines"] == "http://testserver/api/routines/?format=json"
    assert listed["me"] == "http://testserver/api/me/?format=json"
