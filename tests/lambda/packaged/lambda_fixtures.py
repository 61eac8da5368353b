"""Test-only handlers beside the unzipped package (never in the zip)."""

import base64
import json

from core.batch import batch_handler


@batch_handler
def fail_on_poison(record):
    if "kinesis" in record:
        body = json.loads(base64.b64decode(record["kinesis"]["data"]))
    else:
        body = json.loads(record["body"])
    if body.get("poison"):
        raise ValueError("poison record")


def set_up_alice(event, context):
    """alice with an API token and one routine; returns the ids the test needs."""
    from rest_framework.authtoken.models import Token

    from core.services import user_create
    from routines.services import routine_create

    alice = user_create(username="alice", password="alice-Pass-2026!", time_zone="Europe/Paris")
    routine = routine_create(owner=alice, name="Morning", description="")
    return {"user": alice.pk, "routine": routine.pk, "token": Token.objects.create(user=alice).key}
