"""The cold start's own SSM call (config.ssm_secrets): botocore's signature, the emulator's answers."""

from datetime import UTC, datetime

import pytest

from config import ssm_secrets
from core.aws import client


def _botocore_signature(url, body, headers, amz_date, token):
    """botocore's SigV4 signature of the same request at the same instant (its own clock left out)."""
    from botocore.auth import SigV4Auth
    from botocore.awsrequest import AWSRequest
    from botocore.credentials import Credentials

    request = AWSRequest(method="POST", url=url, data=body, headers={**headers, "X-Amz-Date": amz_date})
    if token:
        request.headers["X-Amz-Security-Token"] = token
    request.context["timestamp"] = amz_date
    auth = SigV4Auth(Credentials("AKIDALICE", "alice-secret", token), "ssm", "eu-west-3")
    canonical = auth.canonical_request(request)
    signature = auth.signature(auth.string_to_sign(request, canonical), request)
    return auth.signed_headers(auth.headers_to_sign(request)), signature


@pytest.mark.parametrize("token", [None, "alice-session-token"])
@pytest.mark.parametrize("url", ["https://ssm.eu-west-3.amazonaws.com/", "http://127.0.0.1:4566/"])
def test_the_signature_is_the_one_botocore_computes(url, token):
    now = datetime(2026, 12, 1, 19, 47, 5, tzinfo=UTC)
    body = b'{"Path": "/serverless-django/dev", "WithDecryption": true, "Recursive": false}'
    headers = {"Content-Type": ssm_secrets.CONTENT_TYPE, "X-Amz-Target": ssm_secrets.TARGET}

    ours = ssm_secrets.sign(
        url=url,
        body=body,
        headers=headers,
        region="eu-west-3",
        service="ssm",
        access_key="AKIDALICE",
        secret_key="alice-secret",
        session_token=token,
        now=now,
    )
    signed_headers, signature = _botocore_signature(url, body, headers, ours["X-Amz-Date"], token)

    assert ours["X-Amz-Date"] == "20261201T194705Z"
    assert ours["Authorization"] == (
        "AWS4-HMAC-SHA256 Credential=AKIDALICE/20261201/eu-west-3/ssm/aws4_request, "
        f"SignedHeaders={signed_headers}, Signature={signature}"
    )


def test_every_parameter_under_the_path_is_read_across_pages(aws):
    ssm = client("ssm")
    for number in range(13):  # more than one page (SSM answers at most 10 per call)
        ssm.put_parameter(Name=f"/alice/app/NAME_{number}", Value=f"v{number}", Type="SecureString")
    ssm.put_parameter(Name="/alice/app/nested/SKIPPED", Value="no", Type="String")
    ssm.put_parameter(Name="/bob/app/NAME_0", Value="bobs", Type="String")

    found = ssm_secrets.parameters_by_path("/alice/app/", region="us-east-1")

    assert found == {f"NAME_{number}": f"v{number}" for number in range(13)}


def test_an_error_answer_is_one_readable_line(aws, monkeypatch):
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "")

    with pytest.raises(ssm_secrets.SsmError, match="No AWS credentials"):
        ssm_secrets.parameters_by_path("/alice/app/", region="us-east-1")
