"""Ownership declarations of core's and config's routes: none names anybody's object."""

from tests.ownership import Ownership, Route

OWNERSHIP = Ownership(
    routes={
        "home": Route(owned=False, public=True),
        "ops-failures": Route(owned=False),  # staff only: bob gets a 403, anonymous the login page
        "favicon.ico": Route(owned=False, public=True),
        "schema": Route(owned=False, public=True),
        "api-docs": Route(owned=False, public=True),
        "api-root": Route(owned=False, public=True),
        "rest_framework:login": Route(owned=False, public=True),
        "rest_framework:logout": Route(owned=False, public=True),
        # The laptop's email outbox: the mailbox of the address asked for (signed in: your own).
        "core-sandbox:outbox": Route(owned=False, public=True),
    }
)
