"""docs/deploy.md's steps and tests/deploy/test_deploy.py walk the same commands in the same order."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# One marker per step the operator runs, as the doc writes it and as the test runs it.
STEPS = [
    ("manage.py provision --stage dev", '"provision", "--stage", "dev"'),
    ("iam_policy --stage dev", '"iam_policy", "--stage", "dev"'),
    ("put-parameter --type SecureString --name /serverless-django/dev/SECRET_KEY", '"SECRET_KEY": '),
    ("$ZAPPA deploy dev --zip", '"deploy", "dev", "--zip"'),
    ("$ZAPPA deploy dev_worker --zip", '"deploy", "dev_worker", "--zip"'),
    ("$ZAPPA manage dev migrate", '{"manage": "migrate --noinput"}'),
    ("$ZAPPA update dev --zip", '"update", "dev", "--zip"'),
    ("/serverless-django/dev/admin/alice", '"/serverless-django/dev/admin/alice"'),
    ("create_admin --username alice", '{"manage": "create_admin --username alice'),
    ("make undeploy STAGE=dev", '"undeploy", "STAGE=dev"'),
    ("teardown --stage dev", '"teardown", "--stage", "dev", "--confirm", "dev", "--settings-file"'),
    ("--delete-data", '"--delete-data"'),
]


def _positions(text, markers):
    return [text.find(marker) for marker in markers]


def test_the_deploy_test_runs_the_deploy_docs_steps_in_the_docs_order():
    doc = (ROOT / "docs/deploy.md").read_text()
    doc = doc[doc.index("## Deploying to AWS Lambda") : doc.index("**In a VPC")]
    test = (ROOT / "tests/deploy/test_deploy.py").read_text()
    in_doc = _positions(doc, [d for d, _ in STEPS])
    in_test = _positions(test, [t for _, t in STEPS])

    assert -1 not in in_doc, [d for (d, _), at in zip(STEPS, in_doc, strict=True) if at < 0]
    assert -1 not in in_test, [t for (_, t), at in zip(STEPS, in_test, strict=True) if at < 0]
    assert in_doc == sorted(in_doc)
    assert [d for d, _ in sorted(zip(STEPS, in_test, strict=True), key=lambda s: s[1])] == STEPS
    assert re.search(r"steps 2 to 8 in this order", doc)
