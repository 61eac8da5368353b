import io
import json

from django.core.management import call_command


def test_the_policy_names_only_the_stages_resources_and_no_wildcard_action():
    out = io.StringIO()
    call_command("iam_policy", "--stage", "prod", "--account", "111122223333", stdout=out)
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
    assert all("-prod-" in r or ":logs:" in r for r in resources)
