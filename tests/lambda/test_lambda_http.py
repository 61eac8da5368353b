"""The event -> WSGI -> response adapter, against an echoing WSGI app (the packaged tests run Django)."""

import base64
import json

import pytest

from config.lambda_http import call_application, event_kind, lambda_response, wsgi_environ


def echo_app(environ, start_response):
    body = environ["wsgi.input"].read()
    payload = {
        key: environ.get(key)
        for key in (
            "REQUEST_METHOD",
            "SCRIPT_NAME",
            "PATH_INFO",
            "QUERY_STRING",
            "CONTENT_TYPE",
            "HTTP_COOKIE",
            "REMOTE_ADDR",
        )
    }
    payload["body"] = body.decode()
    payload["scheme"] = environ["wsgi.url_scheme"]
    start_response(
        "201 Created",
        [("Content-Type", "application/json"), ("Set-Cookie", "a=1; Path=/"), ("Set-Cookie", "b=2; Path=/")],
    )
    return [json.dumps(payload).encode()]


def png_app(environ, start_response):
    start_response("200 OK", [("Content-Type", "image/png")])
    return [b"\x89PNG\r\n"]


def serve(event, app=echo_app):
    status, headers, body = call_application(app, wsgi_environ(event, None, api_stage="dev"))
    return lambda_response(event, status, headers, body)


def test_it_tells_http_events_from_the_others(sample_event):
    assert event_kind(sample_event("apigw-rest-v1-get")) == "v1"
    assert event_kind(sample_event("apigw-http-v2-get")) == "v2"
    assert event_kind(sample_event("alb-get")) == "alb"
    assert event_kind(sample_event("sqs-batch")) is None
    assert event_kind(sample_event("eventbridge-scheduled")) is None


def test_a_rest_v1_get_is_mounted_under_its_stage_with_query_and_cookies(sample_event):
    response = serve(sample_event("apigw-rest-v1-get"))
    seen = json.loads(response["body"])

    assert response["statusCode"] == 201
    assert seen["SCRIPT_NAME"] == "/dev"
    assert seen["PATH_INFO"] == "/api/"
    assert seen["QUERY_STRING"] == "format=json"
    assert seen["HTTP_COOKIE"] == "theme=dark"
    assert seen["REMOTE_ADDR"] == "203.0.113.9"
    assert seen["scheme"] == "https"
    assert response["multiValueHeaders"]["Set-Cookie"] == ["a=1; Path=/", "b=2; Path=/"]


def test_a_rest_v1_post_passes_the_json_body(sample_event):
    response = serve(sample_event("apigw-rest-v1-post-json"))
    seen = json.loads(response["body"])

    assert seen["REQUEST_METHOD"] == "POST"
    assert seen["CONTENT_TYPE"] == "application/json"
    assert json.loads(seen["body"]) == {"name": "Morning"}


def test_a_base64_body_is_decoded(sample_event):
    event = sample_event("apigw-rest-v1-post-json")
    event["body"] = base64.b64encode(b'{"name": "\xc3\xa9t\xc3\xa9"}').decode()
    event["isBase64Encoded"] = True

    assert json.loads(json.loads(serve(event)["body"])["body"]) == {"name": "été"}


def test_an_http_api_v2_event_keeps_cookies_apart_both_ways(sample_event):
    event = sample_event("apigw-http-v2-get")
    event["cookies"] = ["theme=dark", "lang=fr"]

    response = serve(event)
    seen = json.loads(response["body"])

    assert seen["HTTP_COOKIE"] == "theme=dark; lang=fr"
    assert seen["SCRIPT_NAME"] == ""  # $default stage: nothing to strip
    assert seen["QUERY_STRING"] == "format=json"
    assert response["cookies"] == ["a=1; Path=/", "b=2; Path=/"]
    assert "Set-Cookie" not in response["headers"]


def test_an_http_api_v2_named_stage_is_stripped_from_the_path(sample_event):
    event = sample_event("apigw-http-v2-get")
    event["rawPath"] = "/dev/api/"
    event["requestContext"]["stage"] = "dev"

    seen = json.loads(serve(event)["body"])

    assert (seen["SCRIPT_NAME"], seen["PATH_INFO"]) == ("/dev", "/api/")


def test_an_alb_event_gets_a_status_description_and_raw_query_values(sample_event):
    event = sample_event("alb-get")
    event["queryStringParameters"] = {"q": "a%20b"}

    response = serve(event)

    assert response["statusDescription"] == "201 Created"
    assert json.loads(response["body"])["QUERY_STRING"] == "q=a%20b"
    assert json.loads(response["body"])["SCRIPT_NAME"] == ""


@pytest.mark.parametrize("name", ["apigw-rest-v1-get", "apigw-http-v2-get", "alb-get"])
def test_a_binary_response_goes_back_base64_encoded(sample_event, name):
    response = serve(sample_event(name), app=png_app)

    assert response["isBase64Encoded"] is True
    assert base64.b64decode(response["body"]) == b"\x89PNG\r\n"
