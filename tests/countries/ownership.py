"""Ownership declarations of countries: alice's fetch requests (her own), and the countries' public data.

The original's three endpoints and the index answer anybody (public, as in the original); what they
show is the same for everybody: documents and fetch attempts are about a country, not a person. A
request's own texts (its failure, who asked) are alice's and must never reach bob or anonymous.
Which countries she stored is hers too, but a stored country's row (``StoredCountry``) is public data
about the country that outlives her account, as the document does, so it cannot carry the secret:
that bob's list and compare never show her countries is proved in
tests/countries/test_stored_and_compare.py.
"""

from countries.models import FetchAttempt, FetchRequest
from tests.ownership import SECRET, Ownership, Route


def build(alice):
    from core import clock

    failed = FetchRequest.objects.create(
        code="PY", owner=alice, status=FetchRequest.Status.FAILED, failure=f"Gave up {SECRET}"
    )
    FetchAttempt.objects.create(
        request=failed, code="PY", started_at=clock.now(), error="REST Countries answered 503."
    )
    pending = FetchRequest.objects.create(
        code="BR", owner=alice, status=FetchRequest.Status.PENDING, send_error=f"SQS down {SECRET}"
    )
    return {"fetch": failed, "pending_fetch": pending}


def snapshot(alice):
    requests = list(FetchRequest.objects.filter(owner=alice).order_by("pk").values())
    attempts = list(FetchAttempt.objects.filter(request__owner=alice).order_by("pk").values())
    return requests, attempts


def code(world):
    return {"code": "PY"}


OWNERSHIP = Ownership(
    build=build,
    snapshot=snapshot,
    routes={
        # The original's endpoints: anybody, the same answer for everybody.
        "countries:fetch-data": Route(code, owned=False, public=True),
        "countries:view-data": Route(code, owned=False, public=True),
        "countries:status": Route(code, owned=False, public=True),
        "countries:original-any": Route(
            lambda world: {"endpoint": "status", "rest": f"/{world['fetch'].code}"}, owned=False, public=True
        ),
        # The rest of the API needs a login: the index, and the caller's own requests.
        "countries-api": Route(owned=False),
        "country-fetch-list": Route(owned=False),
        "country-fetch-detail": Route(lambda world: {"pk": world["fetch"].pk}),
        # Your stored countries and two of them side by side: the caller's own only.
        "countries-stored-api": Route(owned=False),
        "countries-compare-api": Route(owned=False),
        # Pages (login required; a country page shows the caller's own requests only).
        "countries:index": Route(owned=False),
        "countries:country": Route(code, owned=False),
        "countries:fetch": Route(code, owned=False),
        "countries:stored": Route(owned=False),
        "countries:compare": Route(owned=False),
    },
)
