"""Ownership declarations of accounts: every route acts on the caller's own account."""

from rest_framework.authtoken.models import Token

from tests.ownership import SECRET, Ownership, Route


def build(alice):
    alice.email = f"{SECRET}@example.com"
    alice.save()
    return {"token": Token.objects.create(user=alice).key}


def snapshot(alice):
    alice.refresh_from_db()
    return (
        alice.username,
        alice.email,
        alice.time_zone,
        alice.password,
        list(Token.objects.filter(user=alice)),
    )


OWNERSHIP = Ownership(
    build=build,
    snapshot=snapshot,
    write_body=lambda world: {"time_zone": "Asia/Tokyo", "password": "bob-guess-1"},
    routes={
        "api-me": Route(owned=False),
        "signup": Route(owned=False, public=True),
        "login": Route(owned=False, public=True),
        "logout": Route(owned=False, public=True),
        "api-token": Route(owned=False),
        "profile": Route(owned=False),
    },
)
