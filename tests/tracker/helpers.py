"""Helpers behind the tracker's fixtures, shared with its browser test (tests/e2e)."""

from __future__ import annotations


def sandbox_on(live_server, settings) -> str:
    """Point the sandbox base URL at the live server (so its tracker URLs are accepted and texts go to
    its Twilio stand-in); the tracker's sandbox base URL."""
    settings.SANDBOX_BASE_URL = f"{live_server.url}/sandbox"
    settings.TWILIO_BASE_URL = None  # the sandbox's Twilio
    settings.TRACKER_TIMEOUT_SECONDS = 1
    settings.TRACKER_SANDBOX_HANG_SECONDS = 3
    from tracker.clients import _tracker_client, _twilio_client

    _tracker_client.cache_clear()
    _twilio_client.cache_clear()
    return f"{live_server.url}/sandbox/tracker"


class _FakeUpstreams:
    """A tiny threaded HTTP server in this process: the tracker answers ``{"Status": "PC"}`` and
    Twilio's Messages endpoint keeps what it is sent in ``texts`` (no database: for tests that
    run in another process that a test points at it, such as the packaged zip's)."""

    def __init__(self) -> None:
        import json
        import secrets
        import threading
        from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
        from urllib.parse import parse_qs

        texts: list[dict[str, str]] = []
        self.texts = texts

        class Handler(BaseHTTPRequestHandler):
            def _answer(self, status: int, body: dict) -> None:
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self):
                self._answer(200, {"Status": "PC"})

            def do_POST(self):
                length = int(self.headers.get("Content-Length", 0))
                form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
                sid = f"SM{secrets.token_hex(16)}"
                texts.append({**form, "sid": sid})
                self._answer(201, {"sid": sid, "status": "queued"})

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True, name="fake-upstreams").start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"


_fake: list[_FakeUpstreams] = []


def fake_upstreams() -> _FakeUpstreams:
    """The process's one fake tracker + Twilio (started on first use, a daemon thread)."""
    if not _fake:
        _fake.append(_FakeUpstreams())
    return _fake[0]
