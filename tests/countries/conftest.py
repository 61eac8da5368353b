"""Countries fixtures: the REST Countries stand-in on a live server (the local event runner is
tests/support/fixtures.py's ``runner``)."""

from tests.countries import fixtures

upstream = fixtures.upstream  # shared with tests/e2e
