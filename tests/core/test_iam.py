import io
import json

from django.core.management import call_command


def test_the_policy_names_only_the_stages_resources_and_no_wildcard_action():
    out = io.StringIO()
    call_command(
        "iam_policy", "--stage", "prod", "--account", "111122223333", "--part", "permissions", stdout=out
    )
    policy = json.loads(out.getvalue())

    actions = [a for s in policy["Statement"] for a in s["Action"]]
    resources = [r for s in policy["Statement"] for r in s["Resource"]]
    assert not [a for a in actions if a == "*" or a.endswith(":*")]
    assert "arn:aws:dynamodb:us-east-1:111122223333:table/serverless-django-prod-routine-days" in resources
    assert (
        "arn:aws:dynamodb:us-east-1:111122223333:table/serverless-django-prod-routine-days/stream/*"
        in resources
    )
    assert "arn:aws:dynamodb:us-east-1:111122223333:table/serverless-django-prod-sessions" in resources
    assert any(
        r.startswith("arn:aws:logs:us-east-1:111122223333:log-group:/aws/lambda/serverless-django-prod")
        for r in resources
    )
    scoped_keys = [  # KMS grants use by key id: a key of the stage is named by its alias in a condition
        r
        for s in policy["Statement"]
        if s["Sid"] == "Keys"
        for r in s["Resource"]
        if all(
            "-prod-" in alias for alias in s["Condition"]["ForAnyValue:StringEquals"]["kms:ResourceAliases"]
        )
    ]
    assert all(
        "-prod-" in r or ":logs:" in r or r.startswith(("arn:aws:ssm:", "arn:aws:ses:")) or r in scoped_keys
        for r in resources
    )


def test_the_role_may_use_the_stages_keys_by_their_alias_only():
    policy = json.loads(_iam("--part", "permissions"))

    keys = {s["Sid"]: s for s in policy["Statement"]}["Keys"]
    assert keys["Action"] == ["kms:Decrypt", "kms:DescribeKey", "kms:Encrypt"]
    assert keys["Resource"] == ["arn:aws:kms:us-east-1:111122223333:key/*"]
    assert keys["Condition"] == {
        "ForAnyValue:StringEquals": {"kms:ResourceAliases": ["alias/serverless-django-prod-tracker-tokens"]}
    }


def _iam(*args):
    out = io.StringIO()
    call_command("iam_policy", "--stage", "prod", "--account", "111122223333", *args, stdout=out)
    return out.getvalue()


def test_the_role_may_read_its_stages_secrets_and_send_failed_invocations_to_the_dlq():
    policy = json.loads(_iam("--part", "permissions"))

    statements = {s["Sid"]: s for s in policy["Statement"]}
    assert statements["Secrets"]["Action"] == ["ssm:GetParametersByPath"]
    assert statements["Secrets"]["Resource"] == [
        "arn:aws:ssm:us-east-1:111122223333:parameter/serverless-django/prod",
        "arn:aws:ssm:us-east-1:111122223333:parameter/serverless-django/prod/*",
    ]
    assert (
        "arn:aws:sqs:us-east-1:111122223333:serverless-django-prod-failed-invocations"
        in (statements["Queues"]["Resource"])
    )
    assert "VpcNetworkInterfaces" not in statements  # prod has no vpc_config


def test_a_function_in_a_vpc_may_manage_its_network_interfaces():
    policy = json.loads(_iam("--part", "permissions", "--vpc"))

    vpc = {s["Sid"]: s for s in policy["Statement"]}["VpcNetworkInterfaces"]
    assert {
        "ec2:CreateNetworkInterface",
        "ec2:DeleteNetworkInterface",
        "ec2:DescribeNetworkInterfaces",
    } <= set(vpc["Action"])


def test_it_prints_the_trust_policy_and_the_deployers_pass_role():
    text = _iam()

    assert "Trust policy of the role" in text
    assert "iam:PassRole" in text
    trust = json.loads(_iam("--part", "trust"))
    assert trust["Statement"][0]["Principal"] == {"Service": "lambda.amazonaws.com"}
    assert trust["Statement"][0]["Action"] == "sts:AssumeRole"
    deployer = json.loads(_iam("--part", "deployer"))["Statement"][0]
    assert deployer["Action"] == ["iam:PassRole"]
    assert deployer["Resource"] == ["arn:aws:iam::111122223333:role/serverless-django-lambda"]
    assert deployer["Condition"] == {"StringEquals": {"iam:PassedToService": "lambda.amazonaws.com"}}


def test_the_role_reads_no_table_settings_it_never_uses():
    policy = json.loads(_iam("--part", "permissions"))

    actions = {a for s in policy["Statement"] for a in s["Action"]}
    assert (
        "dynamodb:DescribeTimeToLive" not in actions
    )  # sessions expire by TTL; nothing checks it at run time
    assert "dynamodb:Scan" not in actions


def test_the_role_lets_the_web_function_and_its_worker_write_their_logs():
    policy = json.loads(_iam("--part", "permissions"))

    logs = {s["Sid"]: s for s in policy["Statement"]}["Logs"]["Resource"]
    for function in ("serverless-django-prod", "serverless-django-prod-worker"):
        assert f"arn:aws:logs:us-east-1:111122223333:log-group:/aws/lambda/{function}:*" in logs


def test_the_role_reads_the_stages_remote_env_object_when_it_has_one(tmp_path, monkeypatch):
    from core.deploy import iam

    stage = {"aws_environment_variables": {}, "remote_env": "s3://alice-config/dev/env.json"}
    monkeypatch.setattr(iam, "_stage_settings", lambda name: stage)

    statements = {s["Sid"]: s for s in iam.policy_document(stage="dev", account="111122223333")["Statement"]}

    assert statements["RemoteEnv"]["Action"] == ["s3:GetObject"]
    assert statements["RemoteEnv"]["Resource"] == ["arn:aws:s3:::alice-config/dev/env.json"]
    stage.pop("remote_env")
    without = iam.policy_document(stage="dev", account="111122223333")["Statement"]
    assert "RemoteEnv" not in {s["Sid"] for s in without}


def test_the_role_may_read_and_then_delete_a_first_admins_password_and_no_other_parameter():
    policy = json.loads(_iam("--part", "permissions"))

    admin = {s["Sid"]: s for s in policy["Statement"]}["AdminPassword"]
    assert admin["Action"] == ["ssm:GetParameter", "ssm:DeleteParameter"]
    assert admin["Resource"] == [
        "arn:aws:ssm:us-east-1:111122223333:parameter/serverless-django/prod/admin/*"
    ]


def test_the_deployer_may_set_the_retention_of_the_stages_log_groups_only():
    statements = {s["Sid"]: s for s in json.loads(_iam("--part", "deployer"))["Statement"]}

    assert "logs:PutRetentionPolicy" in statements["LogRetention"]["Action"]
    assert statements["LogRetention"]["Resource"] == [
        f"arn:aws:logs:us-east-1:111122223333:log-group:/aws/lambda/{name}:*"
        for name in ("serverless-django-prod", "serverless-django-prod-worker")
    ]


def test_the_role_may_send_email_through_ses_from_the_stages_sender_only(monkeypatch):
    assert "SendEmail" not in {s["Sid"] for s in json.loads(_iam("--part", "permissions"))["Statement"]}

    monkeypatch.setenv("EMAIL_SENDER", "Routines <no-reply@mail.example.net>")
    monkeypatch.setenv("AWS_SES_REGION", "eu-west-1")
    statements = {s["Sid"]: s for s in json.loads(_iam("--part", "permissions"))["Statement"]}

    assert statements["SendEmail"] == {
        "Sid": "SendEmail",
        "Effect": "Allow",
        "Action": ["ses:SendEmail"],
        "Resource": [
            "arn:aws:ses:eu-west-1:111122223333:identity/no-reply@mail.example.net",
            "arn:aws:ses:eu-west-1:111122223333:identity/mail.example.net",
        ],
        "Condition": {"StringEquals": {"ses:FromAddress": "no-reply@mail.example.net"}},
    }
