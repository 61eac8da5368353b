"""Ownership declarations of countries: alice's fetch requests (her own), and the countries' public data.

The original's three endpoints and the index answer anybody (public, as in the original); what they
show is the same for everybody: documents and fetch attempts are about a country, not a person. A
request's own texts (its failure, who asked) are alice's and must never reach bob or anonymous.
Which countries she stored is hers too: her stored Japan carries the secret in its name, so bob's
list of stored countries (and the compare page's choices) must never show it.
"""

from countries.models import FetchAttempt, FetchRequest, StoredCountry
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
    stored = FetchRequest.objects.create(code="JP", owner=alice, status=FetchRequest.Status.DONE)
    StoredCountry.objects.create(
        code="JP", name=f"Japan {SECRET}", region="Asia", population=1, fetched_at=clock.now()
    )
    return {"fetch": failed, "pending_fetch": pending, "stored_fetch": stored}


def snapshot(alice):
    requests = list(FetchRequest.objects.filter(owner=alice).order_by("pk").values())
    attempts = list(FetchAttempt.objects.filter(request__owner=alice).order_by("pk").values())
    stored = list(StoredCountry.objects.order_by("code").values())
    return requests, attempts, stored


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
