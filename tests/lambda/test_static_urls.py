"""Static URLs follow the stage path of API Gateway's default URL, and the root of a custom domain.

One WSGI application (built as a Lambda container builds it, middleware first, before any request)
serves both kinds of request in turn, as one warm function can behind both URLs. Every static URL
a page names is then fetched through an event of the same kind. The packaged zip is checked the
same way in tests/lambda/test_package.py.
"""

import base64
import re

import pytest

from config.lambda_http import make_handler

STATIC_REF = re.compile(r'(?:href|src)="([^"]*/static/[^"]+)"')


@pytest.fixture
def lambda_app(settings, aws, db):
    from django.core.wsgi import get_wsgi_application

    settings.ALLOWED_HOSTS = [".execute-api.us-east-1.amazonaws.com", "app.example.com"]
    return make_handler(get_wsgi_application(), api_stage="dev")


def _get(app, sample_event, path, *, host):
    event = sample_event("apigw-rest-v1-get")
    event.update(path=path, queryStringParameters=None, multiValueQueryStringParameters=None)
    event["headers"]["Host"] = host
    event["multiValueHeaders"]["Host"] = [host]
    event["headers"]["Accept"] = "text/html"
    event["multiValueHeaders"]["Accept"] = ["text/html"]
    event["requestContext"]["path"] = f"/dev{path}"
    response = app(event, None)
    body = response["body"]
    if response.get("isBase64Encoded"):
        body = base64.b64decode(body).decode("utf-8", "replace")
    return response["statusCode"], body


STAGE_HOST = "abc123.execute-api.us-east-1.amazonaws.com"
CUSTOM_HOST = "app.example.com"


@pytest.mark.parametrize("page", ["/account/login/", "/api/docs/"])
def test_static_urls_carry_the_stage_on_the_default_url_and_not_on_a_custom_domain(
    lambda_app, sample_event, page
):
    for host, mount in [(STAGE_HOST, "/dev"), (CUSTOM_HOST, ""), (STAGE_HOST, "/dev")]:
        status, html = _get(lambda_app, sample_event, page, host=host)
        assert status == 200, html[:500]
        urls = STATIC_REF.findall(html)
        assert urls, f"{page} names no static file"
        for url in urls:
            assert url.startswith(f"{mount}/static/"), (host, url)
            # API Gateway hands the function the path without the stage (REST v1).
            fetched, body = _get(lambda_app, sample_event, url.split("?")[0].removeprefix(mount), host=host)
            assert fetched == 200, (host, url)
            assert body


def test_the_swagger_ui_loads_its_schema_from_under_the_stage(lambda_app, sample_event):
    status, html = _get(lambda_app, sample_event, "/api/docs/", host=STAGE_HOST)

    assert status == 200
    assert '"/dev/api/schema/' in html or "'/dev/api/schema/" in html, html[:2000]
