"""The event -> WSGI -> response adapter, against an echoing WSGI app (the packaged tests run Django)."""

import base64
import json

import pytest

from config.lambda_http import event_kind, make_handler


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
    return make_handler(app, api_stage="dev")(event, None)


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


def test_remote_addr_is_the_source_ip_not_a_forwarded_for_the_client_sent(sample_event):
    v1 = sample_event("apigw-rest-v1-get")
    v1["headers"]["X-Forwarded-For"] = "198.51.100.66, 203.0.113.9"
    v1["multiValueHeaders"]["X-Forwarded-For"] = ["198.51.100.66, 203.0.113.9"]
    v2 = sample_event("apigw-http-v2-get")
    v2["headers"]["x-forwarded-for"] = "198.51.100.66, 203.0.113.9"
    alb = sample_event("alb-get")
    alb["headers"]["x-forwarded-for"] = "198.51.100.66, 203.0.113.9"  # the ALB appends the peer

    assert [json.loads(serve(event)["body"])["REMOTE_ADDR"] for event in (v1, v2, alb)] == ["203.0.113.9"] * 3


def test_rest_v1_multi_value_query_and_headers(sample_event):
    event = sample_event("apigw-rest-v1-get")
    event["multiValueQueryStringParameters"] = {"tag": ["a b", "c&d"], "format": ["json"]}
    event["multiValueHeaders"]["Cookie"] = ["theme=dark", "lang=fr"]
    event["multiValueHeaders"]["Accept"] = ["application/json", "text/html"]
    seen_environ = {}

    def app(environ, start_response):
        seen_environ.update(environ)
        return echo_app(environ, start_response)

    seen = json.loads(serve(event, app=app)["body"])

    assert seen["QUERY_STRING"] == "tag=a+b&tag=c%26d&format=json"
    assert seen["HTTP_COOKIE"] == "theme=dark; lang=fr"
    assert seen_environ["HTTP_ACCEPT"] == "application/json,text/html"


def test_a_rest_v1_percent_encoded_path_reaches_django_decoded(sample_event):
    event = sample_event("apigw-rest-v1-get")
    event["path"] = "/api/caf%C3%A9/"

    seen = json.loads(serve(event)["body"])

    assert seen["PATH_INFO"].encode("latin-1").decode("utf-8") == "/api/café/"
