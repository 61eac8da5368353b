"""Remove a deployed stage and leave nothing of it behind: ``manage.py undeploy --stage S``.

``zappa undeploy`` alone is not enough: AWS keeps a function's event source mappings after the
function is deleted (enabled, pointing at nothing), and Zappa looks ours up by a
``.../stream/LATEST`` ARN that matches none of them. So, in order:

1. every event source mapping of the stage's function (core.deploy.event_sources.remove_mappings);
2. ``zappa undeploy S --yes`` (the API Gateway stack, the schedule rules targeting the function
   and the function itself), skipped when the function is already gone (Zappa then stops with
   "Function does not exist" before removing anything);
3. whatever is still there: a rule that targets the function (found by its target, since Zappa
   hashes long rule names), the API's CloudFormation stack, an API named after the function, the
   function; then each of them is checked to be gone.

A stage with a worker (``dev_worker``, core.stages) is two functions: the worker is removed first
the same way, then the web function; ``--stage dev`` removes both.

The stage's data (tables, queues, streams, the deploy bucket, SSM parameters) stays: removing
a deployment never deletes what users wrote (``delete_tables --yes`` does, on purpose).
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from core.contract.naming import function_name
from core.deploy.event_sources import remove_mappings

ROOT = Path(__file__).resolve().parents[2]

Outcome = tuple[str, str, str]


class UndeployIncomplete(RuntimeError):
    """Something of the stage is still deployed after undeploy."""


def _function_arn(clients: Any, function: str) -> str | None:
    lambda_client = clients("lambda")
    try:
        return lambda_client.get_function(FunctionName=function)["Configuration"]["FunctionArn"]
    except lambda_client.exceptions.ResourceNotFoundException:
        return None


def _target_arn(clients: Any, function: str) -> str:
    """The function's ARN, also once it is deleted (rules still name it as their target)."""
    region = clients("lambda").meta.region_name
    account = clients("sts").get_caller_identity()["Account"]
    return f"arn:aws:lambda:{region}:{account}:function:{function}"


def _apis(clients: Any, function: str) -> list[tuple[str, str]]:
    """(kind, id) of every API Gateway API named after the function (Zappa names them so)."""
    rest = clients("apigateway").get_rest_apis(limit=500).get("items", [])
    found = [("rest", api["id"]) for api in rest if api.get("name") == function]
    http = clients("apigatewayv2").get_apis().get("Items", [])
    return found + [("v2", api["ApiId"]) for api in http if api.get("Name") == function]


def _rules_targeting(clients: Any, function_arn: str) -> list[str]:
    events = clients("events")
    names: list[str] = []
    kwargs: dict[str, Any] = {"TargetArn": function_arn}
    while True:
        page = events.list_rule_names_by_target(**kwargs)
        names += page.get("RuleNames", [])
        if not page.get("NextToken"):
            return names
        kwargs["NextToken"] = page["NextToken"]


def _stack_exists(clients: Any, name: str) -> bool:
    cloudformation = clients("cloudformation")
    try:
        stacks = cloudformation.describe_stacks(StackName=name)["Stacks"]
    except cloudformation.exceptions.ClientError:
        return False
    return any(stack["StackStatus"] != "DELETE_COMPLETE" for stack in stacks)


def leftovers(*, stage: str, clients: Any, project: str = "serverless-django") -> list[str]:
    """What of the stage's deployment still exists (one phrase each); empty once it is all gone."""
    function = function_name(stage, project=project)
    found = []
    arn = _function_arn(clients, function)
    if arn:
        found.append(f"function {function}")
    mappings = clients("lambda").list_event_source_mappings(FunctionName=function)["EventSourceMappings"]
    found += [f"event source mapping {m['UUID']} ({m['EventSourceArn']})" for m in mappings]
    found += [f"rule {name}" for name in _rules_targeting(clients, arn or _target_arn(clients, function))]
    if _stack_exists(clients, function):
        found.append(f"CloudFormation stack {function} (the API)")
    found += [f"{kind} API {api_id}" for kind, api_id in _apis(clients, function)]
    return found


def zappa_undeploy_command(stage: str, *, remove_logs: bool) -> list[str]:
    argv = [sys.executable, "-m", "zappa.cli", "undeploy", stage, "--yes"]
    return [*argv, "--remove-logs"] if remove_logs else argv


def stage_undeploy(
    *,
    stage: str,
    clients: Any,
    project: str = "serverless-django",
    remove_logs: bool = False,
    run: Callable[[list[str]], int] | None = None,
) -> list[Outcome]:
    """Undeploy ``stage`` (see the module docstring); returns (kind, name, outcome) per step.

    ``run(argv) -> exit code`` runs Zappa (default: a subprocess in the project folder).
    """
    from core.deploy.guards import TEMPLATE_STAGES
    from core.stages import web_stage, worker_stage

    if stage in TEMPLATE_STAGES:
        raise UndeployIncomplete(f"{stage} is a template the stages extend, not a deployed stage.")
    run = run or (lambda argv: subprocess.run(argv, cwd=ROOT, check=False).returncode)
    outcomes: list[Outcome] = []
    worker = worker_stage(stage)
    if worker != web_stage(stage):  # the stage is two functions: the worker goes first, then the web one
        outcomes += _function_undeploy(
            stage=worker, clients=clients, project=project, remove_logs=remove_logs, run=run
        )
    return outcomes + _function_undeploy(
        stage=web_stage(stage), clients=clients, project=project, remove_logs=remove_logs, run=run
    )


def _function_undeploy(
    *, stage: str, clients: Any, project: str, remove_logs: bool, run: Callable[[list[str]], int]
) -> list[Outcome]:
    function = function_name(stage, project=project)
    outcomes = remove_mappings(stage=stage, clients=clients, project=project)
    arn = _function_arn(clients, function)
    if arn:
        code = run(zappa_undeploy_command(stage, remove_logs=remove_logs))
        outcomes.append(("zappa", f"undeploy {stage}", "done" if code == 0 else f"exit {code}"))
    else:
        outcomes.append(("function", function, "absent"))
    outcomes += _sweep(clients=clients, function=function, arn=arn)
    remaining = leftovers(stage=stage, clients=clients, project=project)
    if remaining:
        raise UndeployIncomplete(f"Still deployed after undeploy of {stage}: {', '.join(remaining)}.")
    return outcomes


def _sweep(*, clients: Any, function: str, arn: str | None) -> list[Outcome]:
    """Remove what Zappa left: rules, the API stack, the function."""
    outcomes: list[Outcome] = []
    events = clients("events")
    for name in _rules_targeting(clients, arn or _target_arn(clients, function)):
        targets = events.list_targets_by_rule(Rule=name).get("Targets", [])
        if targets:
            events.remove_targets(Rule=name, Ids=[t["Id"] for t in targets])
        events.delete_rule(Name=name)
        outcomes.append(("rule", name, "removed"))
    if _stack_exists(clients, function):
        cloudformation = clients("cloudformation")
        cloudformation.delete_stack(StackName=function)
        cloudformation.get_waiter("stack_delete_complete").wait(StackName=function)
        outcomes.append(("stack", function, "removed"))
    for kind, api_id in _apis(clients, function):
        if kind == "rest":
            clients("apigateway").delete_rest_api(restApiId=api_id)
        else:
            clients("apigatewayv2").delete_api(ApiId=api_id)
        outcomes.append((f"{kind} API", api_id, "removed"))
    if _function_arn(clients, function):
        clients("lambda").delete_function(FunctionName=function)
        outcomes.append(("function", function, "removed"))
    return outcomes
