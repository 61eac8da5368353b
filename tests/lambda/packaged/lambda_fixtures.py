"""Test-only handlers beside the unzipped package (never in the zip)."""


def set_up_alice(event, context):
    """alice with an API token and one routine; returns the ids the test needs."""
    from rest_framework.authtoken.models import Token

    from accounts.services import user_create
    from routines.services import routine_create

    alice = user_create(username="alice", password="alice-Pass-2026!", time_zone="Europe/Paris")
    routine = routine_create(owner=alice, name="Morning", description="")
    return {"user": alice.pk, "routine": routine.pk, "token": Token.objects.create(user=alice).key}
