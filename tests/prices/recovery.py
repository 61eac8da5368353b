"""Prices in flight: a subscription acknowledged just before the kill must still be an SNS
subscription (with its filter) after the restart, so the next drop reaches the address once."""

from __future__ import annotations

from tests.recovery import RecoveryCase, World

EMAIL = "recovery-gate@example.com"


def _start(world: World) -> dict:
    answer = world.api.post(
        world.base + "/api/price-subscriptions/",
        json={"email": EMAIL, "regions": ["albany"], "min_drop_cents": 1, "target_price": "3.50"},
        timeout=30,
    )
    assert answer.status_code == 201, answer.text
    return {"subscription": answer.json()["id"]}


def _subscription_arns(world: World) -> list[str]:
    import boto3

    sns = boto3.session.Session().client(
        "sns",
        endpoint_url=world.aws_url,
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    return [s["SubscriptionArn"] for s in sns.list_subscriptions()["Subscriptions"]]


def _finished(world: World, handle: dict) -> bool:
    return True  # nothing waits: the subscription is acknowledged once SNS has it


def _check(world: World, handle: dict) -> None:
    listed = world.api.get(world.base + "/api/price-subscriptions/", timeout=30).json()
    listed = listed["results"] if isinstance(listed, dict) else listed
    assert [s["id"] for s in listed if s["email"] == EMAIL] == [handle["subscription"]]
    arns = _subscription_arns(world)
    assert len(arns) == len(set(arns)) == len(listed)  # one SNS subscription each, none twice


RECOVERY = RecoveryCase(start=_start, finished=_finished, check=_check)
