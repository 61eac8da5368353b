"""Take a stage back to zero: ``manage.py teardown --stage S`` (after ``undeploy``, or instead of it).

``undeploy`` removes what runs (functions, mappings, rules, API) and keeps everything that holds or
bills for data. Teardown removes the rest of what the product and its documented steps created for
the stage, in this order, each step idempotent (absent is an outcome, not an error):

1. the deployment itself (core.deploy.undeploy: both functions, their mappings, rules, API);
2. the declared Kinesis streams (billed per shard-hour while idle) and SNS topics with their
   subscriptions (users' alert subscriptions go with the topic);
3. the declared queues, their dead-letter and on-failure queues, and ``failed-invocations``;
4. the declared KMS keys: the alias is deleted and the key *scheduled* for deletion after
   :data:`KEY_DELETION_DAYS` days, the longest AWS allows (``aws kms cancel-key-deletion`` until
   then): ciphertexts kept in the database (the tracker's tokens) become unreadable once it is gone;
5. the functions' log groups;
6. the stage's inline policy on its role (``serverless-django-<stage>``, as the deploy steps name
   it), and the role itself only when nothing else is left on it and no function uses it;
7. the stage's deploy bucket (``s3_bucket``: Zappa's uploads), emptied first;
8. every SSM parameter under the stage's ``SECRETS_SSM_PATH`` (its secrets and a pending admin
   password);
9. only with ``delete_data=True`` (``--delete-data``): the DynamoDB tables, i.e. users' hot data.

It never touches a database (RDS/Aurora), a VPC stack or anything not named for the stage. Then it
lists what is still there (:func:`leftovers`) and fails naming it.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from core.contract.naming import dead_letter_name, function_name, resource_name
from core.deploy.logs import log_group

Outcome = tuple[str, str, str]
KEY_DELETION_DAYS = 30


class TeardownIncomplete(RuntimeError):
    """Something the stage owns is still there after teardown."""


def _stage_config(stage: str, settings_file: Path | str | None = None) -> dict[str, Any]:
    from core.stages import load_stage

    return load_stage(stage, path=settings_file)


def stage_functions(stage: str) -> list[str]:
    from core.stages import worker_stage

    return list(dict.fromkeys([function_name(stage), function_name(worker_stage(stage))]))


def queue_names(stage: str) -> list[str]:
    from core.contract.registry import declared_resources
    from core.contract.resources import Queue

    names: list[str] = []
    for resource in declared_resources():
        if isinstance(resource, Queue):
            name = resource_name(resource.name, stage=stage)
            names += [name, dead_letter_name(name)] if resource.dead_letter else [name]
    return sorted(set(names))


def _declared(stage: str, kind: type) -> list[str]:
    from core.contract.registry import declared_resources

    return [resource_name(r.name, stage=stage) for r in declared_resources() if isinstance(r, kind)]


def table_names(stage: str) -> list[str]:
    from core.contract.registry import dynamo_models

    return [resource_name(model.Meta.table_suffix, stage=stage) for model in dynamo_models()]


def _streams(stage: str, clients: Any, config: dict[str, Any]) -> list[Outcome]:
    from core.contract.resources import KinesisStream

    kinesis = clients("kinesis")
    outcomes = []
    for name in _declared(stage, KinesisStream):
        try:
            kinesis.delete_stream(StreamName=name, EnforceConsumerDeletion=True)
            kinesis.get_waiter("stream_not_exists").wait(
                StreamName=name, WaiterConfig={"Delay": 1, "MaxAttempts": 120}
            )
            outcomes.append(("stream", name, "deleted"))
        except kinesis.exceptions.ResourceNotFoundException:
            outcomes.append(("stream", name, "absent"))
    return outcomes


def _topic_arn(clients: Any, name: str) -> str:
    sts = clients("sts")
    region = clients("sns").meta.region_name
    return f"arn:aws:sns:{region}:{sts.get_caller_identity()['Account']}:{name}"


def _topics(stage: str, clients: Any, config: dict[str, Any]) -> list[Outcome]:
    from core.contract.resources import Topic

    sns = clients("sns")
    outcomes = []
    for name in _declared(stage, Topic):
        arn = _topic_arn(clients, name)
        try:
            sns.get_topic_attributes(TopicArn=arn)
        except sns.exceptions.NotFoundException:
            outcomes.append(("topic", name, "absent"))
            continue
        removed = 0
        for page in sns.get_paginator("list_subscriptions_by_topic").paginate(TopicArn=arn):
            for subscription in page.get("Subscriptions", []):
                if subscription["SubscriptionArn"].startswith("arn:"):  # not "PendingConfirmation"
                    sns.unsubscribe(SubscriptionArn=subscription["SubscriptionArn"])
                    removed += 1
        sns.delete_topic(TopicArn=arn)
        outcomes.append(("topic", name, f"deleted with {removed} subscription(s)"))
    return outcomes


def _queues(stage: str, clients: Any, config: dict[str, Any]) -> list[Outcome]:
    sqs = clients("sqs")
    outcomes = []
    for name in queue_names(stage):
        try:
            url = sqs.get_queue_url(QueueName=name)["QueueUrl"]
        except sqs.exceptions.QueueDoesNotExist:
            outcomes.append(("queue", name, "absent"))
            continue
        sqs.delete_queue(QueueUrl=url)
        outcomes.append(("queue", name, "deleted"))
    return outcomes


def _key_alive(kms: Any, alias: str) -> str | None:
    """The key id behind ``alias`` when the key is not already pending deletion."""
    try:
        metadata = kms.describe_key(KeyId=alias)["KeyMetadata"]
    except kms.exceptions.NotFoundException:
        return None
    return (
        None
        if metadata.get("KeyState") in ("PendingDeletion", "PendingReplicaDeletion")
        else metadata["KeyId"]
    )


def _keys(stage: str, clients: Any, config: dict[str, Any]) -> list[Outcome]:
    from core.contract.resources import KmsKey

    kms = clients("kms")
    outcomes = []
    for name in _declared(stage, KmsKey):
        alias = f"alias/{name}"
        key = _key_alive(kms, alias)
        if key is None:
            outcomes.append(("key", alias, "absent"))
            continue
        kms.delete_alias(AliasName=alias)
        kms.schedule_key_deletion(KeyId=key, PendingWindowInDays=KEY_DELETION_DAYS)
        outcomes.append(("key", alias, f"alias deleted, key {key} deleted in {KEY_DELETION_DAYS} days"))
    return outcomes


def _log_groups(stage: str, clients: Any, config: dict[str, Any]) -> list[Outcome]:
    logs = clients("logs")
    outcomes = []
    for function in stage_functions(stage):
        name = log_group(function)
        try:
            logs.delete_log_group(logGroupName=name)
            outcomes.append(("log group", name, "deleted"))
        except logs.exceptions.ResourceNotFoundException:
            outcomes.append(("log group", name, "absent"))
    return outcomes


def role_name(config: dict[str, Any]) -> str:
    return str(config["role_arn"]).rsplit(":role/", 1)[-1]


def policy_name(stage: str) -> str:
    """The inline policy the deploy steps put on the role for ``stage`` (docs/deploy.md, step 3)."""
    return function_name(stage)


def _role(stage: str, clients: Any, config: dict[str, Any]) -> list[Outcome]:
    iam = clients("iam")
    role, policy = role_name(config), policy_name(stage)
    try:
        arn = iam.get_role(RoleName=role)["Role"]["Arn"]
    except iam.exceptions.NoSuchEntityException:
        return [("role", role, "absent")]
    outcomes = []
    if policy in iam.list_role_policies(RoleName=role)["PolicyNames"]:
        iam.delete_role_policy(RoleName=role, PolicyName=policy)
        outcomes.append(("role policy", f"{role}/{policy}", "deleted"))
    else:
        outcomes.append(("role policy", f"{role}/{policy}", "absent"))
    others = iam.list_role_policies(RoleName=role)["PolicyNames"] + [
        p["PolicyName"] for p in iam.list_attached_role_policies(RoleName=role)["AttachedPolicies"]
    ]
    users = [
        f["FunctionName"]
        for page in clients("lambda").get_paginator("list_functions").paginate()
        for f in page["Functions"]
        if f.get("Role") == arn
    ]
    if others or users:
        kept = ", ".join([*(f"policy {p}" for p in others), *(f"function {u}" for u in users)])
        outcomes.append(("role", role, f"kept: still has {kept}"))
        return outcomes
    for profile in iam.list_instance_profiles_for_role(RoleName=role)["InstanceProfiles"]:
        iam.remove_role_from_instance_profile(
            InstanceProfileName=profile["InstanceProfileName"], RoleName=role
        )
    iam.delete_role(RoleName=role)
    outcomes.append(("role", role, "deleted"))
    return outcomes


def _bucket(stage: str, clients: Any, config: dict[str, Any]) -> list[Outcome]:
    bucket = config.get("s3_bucket")
    if not bucket:
        return []
    s3 = clients("s3")
    try:
        s3.head_bucket(Bucket=bucket)
    except s3.exceptions.ClientError:
        return [("bucket", bucket, "absent")]
    removed = 0
    for page in s3.get_paginator("list_object_versions").paginate(Bucket=bucket):
        objects = [
            {"Key": o["Key"], "VersionId": o["VersionId"]}
            for o in [*page.get("Versions", []), *page.get("DeleteMarkers", [])]
        ]
        if objects:
            s3.delete_objects(Bucket=bucket, Delete={"Objects": objects, "Quiet": True})
            removed += len(objects)
    s3.delete_bucket(Bucket=bucket)
    return [("bucket", bucket, f"deleted with {removed} object(s)")]


def secrets_path(config: dict[str, Any]) -> str | None:
    path = (config.get("aws_environment_variables") or {}).get("SECRETS_SSM_PATH")
    return f"/{path.strip('/')}/" if path else None


def _parameter_names(ssm: Any, path: str) -> list[str]:
    names = []
    for page in ssm.get_paginator("get_parameters_by_path").paginate(Path=path.rstrip("/"), Recursive=True):
        names += [p["Name"] for p in page.get("Parameters", [])]
    return names


def _parameters(stage: str, clients: Any, config: dict[str, Any]) -> list[Outcome]:
    path = secrets_path(config)
    if not path:
        return []
    ssm = clients("ssm")
    names = _parameter_names(ssm, path)
    for start in range(0, len(names), 10):  # DeleteParameters takes at most 10 names
        ssm.delete_parameters(Names=names[start : start + 10])
    return [("parameters", path, f"deleted {len(names)}" if names else "absent")]


def _tables(stage: str, clients: Any, config: dict[str, Any]) -> list[Outcome]:
    dynamodb = clients("dynamodb")
    outcomes = []
    for name in table_names(stage):
        try:
            dynamodb.delete_table(TableName=name)
        except dynamodb.exceptions.ResourceNotFoundException:
            outcomes.append(("table", name, "absent"))
            continue
        dynamodb.get_waiter("table_not_exists").wait(
            TableName=name, WaiterConfig={"Delay": 2, "MaxAttempts": 60}
        )
        outcomes.append(("table", name, "deleted"))
    return outcomes


def leftovers(*, stage: str, clients: Any, delete_data: bool, config: dict[str, Any]) -> list[str]:
    """What teardown removes that still exists (tables only when ``delete_data``)."""
    from core.contract.resources import KinesisStream, KmsKey, Topic
    from core.deploy.undeploy import leftovers as deployed
    from core.stages import worker_stage

    found = deployed(stage=stage, clients=clients)
    if worker_stage(stage) != stage:
        found += deployed(stage=worker_stage(stage), clients=clients)
    kinesis, sns, sqs, kms, logs = (clients(s) for s in ("kinesis", "sns", "sqs", "kms", "logs"))
    existing_streams = set(kinesis.list_streams().get("StreamNames", []))
    found += [f"stream {n}" for n in _declared(stage, KinesisStream) if n in existing_streams]
    topics = {t["TopicArn"].rsplit(":", 1)[-1] for t in sns.list_topics().get("Topics", [])}
    found += [f"topic {n}" for n in _declared(stage, Topic) if n in topics]
    queues = {
        url.rsplit("/", 1)[-1]
        for url in sqs.list_queues(QueueNamePrefix=function_name(stage)).get("QueueUrls", [])
    }
    found += [f"queue {n}" for n in queue_names(stage) if n in queues]
    found += [f"key alias/{n}" for n in _declared(stage, KmsKey) if _key_alive(kms, f"alias/{n}")]
    for function in stage_functions(stage):
        groups = logs.describe_log_groups(logGroupNamePrefix=log_group(function))["logGroups"]
        found += [
            f"log group {g['logGroupName']}" for g in groups if g["logGroupName"] == log_group(function)
        ]
    iam = clients("iam")
    try:
        if policy_name(stage) in iam.list_role_policies(RoleName=role_name(config))["PolicyNames"]:
            found.append(f"role policy {role_name(config)}/{policy_name(stage)}")
    except iam.exceptions.NoSuchEntityException:
        pass
    bucket = config.get("s3_bucket")
    if bucket and bucket in {b["Name"] for b in clients("s3").list_buckets().get("Buckets", [])}:
        found.append(f"bucket {bucket}")
    path = secrets_path(config)
    if path:
        found += [f"parameter {n}" for n in _parameter_names(clients("ssm"), path)]
    if delete_data:
        tables = set(clients("dynamodb").list_tables().get("TableNames", []))
        found += [f"table {n}" for n in table_names(stage) if n in tables]
    return found


def stage_teardown(
    *,
    stage: str,
    clients: Any,
    delete_data: bool = False,
    settings_file: Path | str | None = None,
    run: Callable[[list[str]], int] | None = None,
) -> list[Outcome]:
    """Remove everything of ``stage`` the module docstring lists; (kind, name, outcome) per step."""
    from core.deploy.guards import TEMPLATE_STAGES
    from core.deploy.undeploy import stage_undeploy
    from core.stages import web_stage

    if stage in TEMPLATE_STAGES or web_stage(stage) != stage:
        raise TeardownIncomplete(f"{stage} is not a stage to tear down (give the web stage, e.g. dev).")
    config = _stage_config(stage, settings_file)
    outcomes = stage_undeploy(stage=stage, clients=clients, remove_logs=False, run=run)
    for step in (_streams, _topics, _queues, _keys, _log_groups, _role, _bucket, _parameters):
        outcomes += step(stage, clients, config)
    if delete_data:
        outcomes += _tables(stage, clients, config)
    remaining = leftovers(stage=stage, clients=clients, delete_data=delete_data, config=config)
    if remaining:
        raise TeardownIncomplete(f"Still there after teardown of {stage}: {', '.join(remaining)}.")
    return outcomes
