"""Read the parameters under one SSM path with a single signed HTTPS call, without boto3.

Hand-written on purpose, for the cold start only: with boto3 (which Lambda's runtime ships) reading
the secrets cost ~90 % SDK and ~10 % call (bench/README.md: ``import boto3`` 0.9-2.2 s and the SSM
client 0.4-0.7 s against a 0.08-0.14 s call on the same loaded machine), which put every cold start
of the deployed function over its budget. One SSM action needs only AWS Signature Version 4 over
a JSON POST, i.e. the standard library's ``hmac``/``hashlib`` and ``urllib``; a test checks the
signature against botocore's own signer, and the calls against the emulator.

Credentials and region come from the environment Lambda sets (``AWS_ACCESS_KEY_ID``,
``AWS_SECRET_ACCESS_KEY``, ``AWS_SESSION_TOKEN``, ``AWS_REGION``); the endpoint is
``AWS_ENDPOINT_URL_SSM`` or ``AWS_ENDPOINT_URL`` when set (the emulator), else the regional one,
which a VPC's SSM interface endpoint answers under the same name. Throttling, 5xx answers and
network errors are retried twice with a short backoff; anything else raises :class:`SsmError`.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import time
from datetime import UTC, datetime
from typing import Any
from urllib.error import HTTPError, URLError
from urllib.parse import urlsplit
from urllib.request import Request, urlopen

TARGET = "AmazonSSM.GetParametersByPath"
CONTENT_TYPE = "application/x-amz-json-1.1"
ATTEMPTS = 3
TIMEOUT_SECONDS = 3
RETRIED_ERRORS = ("ThrottlingException", "InternalServerError", "ServiceUnavailable")


class SsmError(RuntimeError):
    """SSM answered with an error (after retries), or could not be reached."""


def _hmac(key: bytes, text: str) -> bytes:
    return hmac.new(key, text.encode(), hashlib.sha256).digest()


def sign(
    *,
    url: str,
    body: bytes,
    headers: dict[str, str],
    region: str,
    service: str,
    access_key: str,
    secret_key: str,
    session_token: str | None,
    now: datetime,
) -> dict[str, str]:
    """The headers of a SigV4-signed POST of ``body`` to ``url`` (``headers`` plus host, date, token, auth)."""
    amz_date = now.strftime("%Y%m%dT%H%M%SZ")
    day = amz_date[:8]
    parts = urlsplit(url)
    host = parts.hostname or ""
    if parts.port and not (
        (parts.scheme == "https" and parts.port == 443) or (parts.scheme == "http" and parts.port == 80)
    ):
        host = f"{host}:{parts.port}"
    signed = {name.lower(): " ".join(value.split()) for name, value in headers.items()}
    signed.update({"host": host, "x-amz-date": amz_date})
    if session_token:
        signed["x-amz-security-token"] = session_token
    names = sorted(signed)
    canonical = "\n".join(
        [
            "POST",
            parts.path or "/",
            "",
            "".join(f"{name}:{signed[name]}\n" for name in names),
            ";".join(names),
            hashlib.sha256(body).hexdigest(),
        ]
    )
    scope = f"{day}/{region}/{service}/aws4_request"
    to_sign = "\n".join(["AWS4-HMAC-SHA256", amz_date, scope, hashlib.sha256(canonical.encode()).hexdigest()])
    key = _hmac(_hmac(_hmac(_hmac(f"AWS4{secret_key}".encode(), day), region), service), "aws4_request")
    signature = hmac.new(key, to_sign.encode(), hashlib.sha256).hexdigest()
    authorization = (
        f"AWS4-HMAC-SHA256 Credential={access_key}/{scope}, SignedHeaders={';'.join(names)}, "
        f"Signature={signature}"
    )
    result = {**headers, "Host": host, "X-Amz-Date": amz_date, "Authorization": authorization}
    if session_token:
        result["X-Amz-Security-Token"] = session_token
    return result


def _endpoint(region: str) -> str:
    configured = os.environ.get("AWS_ENDPOINT_URL_SSM") or os.environ.get("AWS_ENDPOINT_URL")
    return (configured or f"https://ssm.{region}.amazonaws.com").rstrip("/") + "/"


def _call(payload: dict[str, Any], *, region: str) -> dict[str, Any]:
    access_key = os.environ.get("AWS_ACCESS_KEY_ID")
    secret_key = os.environ.get("AWS_SECRET_ACCESS_KEY")
    if not access_key or not secret_key:
        raise SsmError("No AWS credentials in the environment (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY).")
    url = _endpoint(region)
    body = json.dumps(payload).encode()
    last_error = "no attempt"
    for attempt in range(ATTEMPTS):
        if attempt:
            time.sleep(0.1 * 2**attempt)
        headers = sign(
            url=url,
            body=body,
            headers={"Content-Type": CONTENT_TYPE, "X-Amz-Target": TARGET},
            region=region,
            service="ssm",
            access_key=access_key,
            secret_key=secret_key,
            session_token=os.environ.get("AWS_SESSION_TOKEN"),
            now=datetime.now(tz=UTC),
        )
        try:
            with urlopen(
                Request(url, data=body, headers=headers, method="POST"), timeout=TIMEOUT_SECONDS
            ) as answer:
                return json.loads(answer.read())
        except HTTPError as exc:
            try:
                error = json.loads(exc.read() or b"{}")
            except ValueError:
                error = {}
            kind = str(error.get("__type", "")).rsplit("#", 1)[-1] or f"HTTP {exc.code}"
            last_error = f"{kind}: {error.get('message') or error.get('Message') or exc.reason}"
            if exc.code < 500 and kind not in RETRIED_ERRORS:
                raise SsmError(last_error) from exc
        except (URLError, TimeoutError, OSError) as exc:
            last_error = f"{type(exc).__name__}: {getattr(exc, 'reason', exc)}"
    raise SsmError(f"{last_error} (after {ATTEMPTS} attempts)")


def parameters_by_path(path: str, *, region: str) -> dict[str, str]:
    """Every parameter directly under ``path`` (SecureStrings decrypted), by the last part of its name."""
    found: dict[str, str] = {}
    payload: dict[str, Any] = {"Path": path.rstrip("/") or "/", "WithDecryption": True, "Recursive": False}
    while True:
        page = _call(payload, region=region)
        for parameter in page.get("Parameters", []):
            found[parameter["Name"].rsplit("/", 1)[-1]] = parameter["Value"]
        if not page.get("NextToken"):
            return found
        payload["NextToken"] = page["NextToken"]
