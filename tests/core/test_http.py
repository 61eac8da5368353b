"""The upstream HTTP client (core.http) against a real HTTP server on loopback: timeouts, bounded
retries with backoff, and errors a person can read."""

import contextlib
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from core.http import UpstreamClient, UpstreamError
from tests.support.net import serving


class Upstream:
    """A scripted upstream: each request takes the next answer (status, body, delay); the last repeats."""

    def __init__(self):
        self.answers = [(200, {"ok": True}, 0)]
        self.requests = []
        self.retry_after = None
        upstream = self

        class Handler(BaseHTTPRequestHandler):
            def _answer(self):
                length = int(self.headers.get("Content-Length") or 0)
                upstream.requests.append((self.command, self.path, self.rfile.read(length)))
                index = min(len(upstream.requests), len(upstream.answers)) - 1
                status, body, delay = upstream.answers[index]
                time.sleep(delay)
                payload = body.encode() if isinstance(body, str) else json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "text/html" if isinstance(body, str) else "application/json")
                self.send_header("Content-Length", str(len(payload)))
                if upstream.retry_after:
                    self.send_header("Retry-After", upstream.retry_after)
                self.end_headers()
                with contextlib.suppress(OSError):  # the client gave up at its deadline
                    self.wfile.write(payload)

            do_GET = do_POST = _answer

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


@pytest.fixture
def upstream():
    server = Upstream()
    yield server
    server.server.shutdown()


def client_for(upstream, **options):
    return UpstreamClient(name="REST Countries", base_url=upstream.url, backoff=0.01, **options)


def test_a_json_answer_is_decoded(upstream):
    upstream.answers = [(200, [{"cca2": "PY"}], 0)]

    assert client_for(upstream).get_json("/v3.1/alpha/PY") == [{"cca2": "PY"}]
    assert upstream.requests[0][:2] == ("GET", "/v3.1/alpha/PY")


def test_a_failing_upstream_is_retried_a_bounded_number_of_times_then_named(upstream):
    upstream.answers = [(503, {"error": "busy"}, 0)]

    with pytest.raises(UpstreamError, match=r"^REST Countries answered 503 Service Unavailable\.$") as caught:
        client_for(upstream, retries=2).get_json("/v3.1/alpha/PY")

    assert caught.value.status == 503
    assert len(upstream.requests) == 3  # the call and two retries, never more


def test_a_retry_that_succeeds_is_invisible_to_the_caller(upstream):
    upstream.answers = [(502, {}, 0), (200, {"ok": 1}, 0)]

    assert client_for(upstream).get_json("/x") == {"ok": 1}
    assert len(upstream.requests) == 2


def test_a_post_is_not_repeated_unless_the_caller_says_it_is_idempotent(upstream):
    upstream.answers = [(503, {}, 0), (201, {"sid": "SM1"}, 0)]

    with pytest.raises(UpstreamError, match="503"):
        client_for(upstream).request("POST", "/Messages.json", data={"Body": "hi"})
    assert len(upstream.requests) == 1

    response = client_for(upstream).request("POST", "/Messages.json", data={"Body": "hi"}, idempotent=True)
    assert response.json() == {"sid": "SM1"}


def test_a_client_error_is_not_retried_and_says_so(upstream):
    upstream.answers = [(404, {"status": 404}, 0)]

    with pytest.raises(UpstreamError) as caught:
        client_for(upstream).get_json("/v3.1/alpha/ZZ")

    assert caught.value.is_client_error
    assert str(caught.value) == "REST Countries answered 404 Not Found."
    assert len(upstream.requests) == 1


def test_a_slow_upstream_times_out_with_a_readable_error(upstream):
    upstream.answers = [(200, {}, 1.0)]

    started = time.monotonic()
    with pytest.raises(UpstreamError, match=r"did not answer within 0\.2 s"):
        client_for(upstream, timeout=0.2, retries=1).get_json("/slow")

    assert time.monotonic() - started < 0.9 * 2  # two attempts of 0.2 s, not the server's 1 s each


def test_an_answer_that_is_not_json_is_an_error_not_a_crash(upstream):
    upstream.answers = [(200, "<html>maintenance</html>", 0)]

    with pytest.raises(UpstreamError, match="answered with text/html, not JSON"):
        client_for(upstream).get_json("/x")


def test_an_unreachable_upstream_is_named():
    client = UpstreamClient(name="Twilio", base_url="http://127.0.0.1:9", retries=1, backoff=0.01)

    with pytest.raises(UpstreamError, match=r"^Twilio could not be reached\.$"):
        client.get_json("/x")


@pytest.fixture
def dripping():
    """An upstream that sends its headers at once, then its body a byte every 0.25 s (10 bytes)."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", "10")
            self.end_headers()
            try:
                for byte in b'"drip-drip"'[:10]:
                    self.wfile.write(bytes([byte]))
                    self.wfile.flush()
                    time.sleep(0.25)
            except OSError:
                pass  # the client gave up

        def log_message(self, *args):
            pass

    with serving(Handler) as url:
        yield url


def test_a_body_that_drips_is_given_up_on_at_the_deadline(dripping):
    client = UpstreamClient(name="The movies page", base_url=dripping, timeout=1, retries=2)

    started = time.monotonic()
    with pytest.raises(UpstreamError, match=r"^The movies page did not answer within 1 s\.$"):
        client.get_json("/page")

    assert time.monotonic() - started < 1.5  # each byte came within any read timeout: 2.5 s in all


def test_a_hang_is_not_retried_past_the_deadline_the_message_names(upstream):
    upstream.answers = [(200, {}, 3.0)]

    started = time.monotonic()
    with pytest.raises(UpstreamError, match=r"did not answer within 0\.5 s"):
        client_for(upstream, timeout=0.5, retries=2).get_json("/hang")

    assert time.monotonic() - started < 0.9  # not three attempts of 0.5 s


def test_a_retry_after_longer_than_what_is_left_is_not_waited_for(upstream):
    upstream.answers = [(503, {"busy": True}, 0)]
    upstream.retry_after = "30"

    started = time.monotonic()
    with pytest.raises(UpstreamError, match=r"answered 503"):
        client_for(upstream, timeout=2, retries=2).get_json("/busy")

    assert time.monotonic() - started < 1
    assert len(upstream.requests) == 1


def test_retries_that_fit_in_the_deadline_still_happen(upstream):
    upstream.answers = [(503, {}, 0), (503, {}, 0), (200, {"ok": True}, 0)]

    assert client_for(upstream, timeout=2, retries=2).get_json("/flaky") == {"ok": True}
    assert len(upstream.requests) == 3
