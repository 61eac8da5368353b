"""Ownership declarations of accounts: every route acts on the caller's own account."""

from rest_framework.authtoken.models import Token

from tests.ownership import SECRET, Ownership, Route


def build(alice):
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    alice.email = f"{SECRET}@example.com"
    alice.save()
    return {
        "token": Token.objects.create(user=alice).key,
        "alice_uid": urlsafe_base64_encode(force_bytes(alice.pk)),
    }


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
        # Export and deletion act on the caller's own account; deletion needs its password.
        "api-me-export": Route(owned=False),
        "api-me-delete": Route(owned=False),
        "account-export": Route(owned=False),
        "account-delete": Route(owned=False),
        # Django's password views: a change needs the old password; a reset link needs the token
        # Django made for that account (a guessed one on alice's id changes nothing).
        "password_change": Route(owned=False),
        "password_change_done": Route(owned=False),
        "password_reset": Route(owned=False, public=True),
        "password_reset_done": Route(owned=False, public=True),
        "password_reset_confirm": Route(
            lambda world: {"uidb64": world["alice_uid"], "token": "cj0123-0123456789abcdef0123456789abcdef"},
            owned=False,
            public=True,
            body=lambda world: {"new_password1": "bob-Took-It-2026", "new_password2": "bob-Took-It-2026"},
        ),
        "password_reset_complete": Route(owned=False, public=True),
    },
)
