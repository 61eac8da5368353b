"""The functions' CloudWatch log groups: a retention set on every deploy and update.

Lambda creates ``/aws/lambda/<function>`` at the first log line and keeps it forever (billed per GB
stored); Zappa 0.63 sets no retention. Zappa's ``callbacks.post`` (core.deploy.zappa_callbacks)
creates the group when it is missing and sets the stage's ``log_retention_days`` (zappa_settings.json,
default :data:`DEFAULT_RETENTION_DAYS`). ``manage.py teardown`` deletes the groups.
"""

from __future__ import annotations

from typing import Any

DEFAULT_RETENTION_DAYS = 30
# CloudWatch accepts only these (PutRetentionPolicy).
ALLOWED_DAYS = (
    1,
    3,
    5,
    7,
    14,
    30,
    60,
    90,
    120,
    150,
    180,
    365,
    400,
    545,
    731,
    1096,
    1827,
    2192,
    2557,
    2922,
    3288,
    3653,
)


def log_group(function: str) -> str:
    return f"/aws/lambda/{function}"


def retention_days(config: dict[str, Any]) -> int:
    days = int(config.get("log_retention_days", DEFAULT_RETENTION_DAYS))
    if days not in ALLOWED_DAYS:
        raise ValueError(
            f"log_retention_days {days} is not one CloudWatch accepts: {', '.join(map(str, ALLOWED_DAYS))}."
        )
    return days


def retention_ensure(*, function: str, days: int, clients: Any) -> tuple[str, str, str]:
    """The function's log group exists and keeps its events ``days`` days."""
    logs = clients("logs")
    name = log_group(function)
    try:
        logs.create_log_group(logGroupName=name)
        created = True
    except logs.exceptions.ResourceAlreadyExistsException:
        created = False
    logs.put_retention_policy(logGroupName=name, retentionInDays=days)
    return ("log group", name, f"{'created, ' if created else ''}retention {days} days")


def zappa_post_callback(zappa_cli: Any) -> None:
    """After ``zappa deploy/update`` of any stage (its web function or its worker)."""
    session = zappa_cli.zappa.boto_session
    kind, name, outcome = retention_ensure(
        function=zappa_cli.lambda_name,
        days=retention_days(zappa_cli.stage_config),
        clients=lambda service: session.client(service),
    )
    print(f"{kind:<8} {name}: {outcome}")
