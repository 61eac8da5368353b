"""Fetching the page: http(s) only, no private/loopback/link-local addresses outside the laptop
stages, every redirect re-checked, a size cap. Requests go only to the live server on 127.0.0.1;
refused addresses are refused before any connection is made."""

import socket

import pytest

from core.http import UpstreamError
from scraper.clients import FetchRefused, page_fetch, url_check, url_check_literal
from tests.support.net import serving


def resolving_to(address):
    """A resolver answering ``address`` for every name (no DNS needed)."""

    def resolve(host, port, **kwargs):
        family = socket.AF_INET6 if ":" in address else socket.AF_INET
        return [(family, socket.SOCK_STREAM, 6, "", (address, port))]

    return resolve


@pytest.fixture
def lambda_policy(settings):
    """The dev/prod policy: public addresses only."""
    settings.SCRAPER_ALLOWED_NETWORKS = []


@pytest.fixture
def loopback_host_only(settings):
    """Public addresses plus 127.0.0.1 (where the live server is): other refused ranges stay refused."""
    settings.SCRAPER_ALLOWED_NETWORKS = ["127.0.0.1/32"]


@pytest.mark.parametrize(
    ("address", "kind"),
    [
        ("10.1.2.3", "private"),
        ("192.168.0.10", "private"),
        ("172.16.5.4", "private"),
        ("127.0.0.1", "loopback"),
        ("169.254.169.254", "link-local"),
        ("::1", "loopback"),
        ("fe80::1", "link-local"),
        ("::ffff:10.0.0.1", "private"),
        ("100.64.0.1", "non-public"),
        ("0.0.0.0", "unspecified"),
    ],
)
def test_a_host_resolving_to_a_non_public_address_is_refused_on_lambda(lambda_policy, address, kind):
    with pytest.raises(FetchRefused, match=f"is an? {kind} address"):
        url_check("http://movies.example/", resolve=resolving_to(address))


def test_a_host_resolving_to_a_public_address_is_allowed(lambda_policy):
    url_check("https://movies.example/list", resolve=resolving_to("93.184.216.34"))


def test_one_refused_address_among_several_is_enough_to_refuse(lambda_policy):
    def resolve(host, port, **kwargs):
        return [*resolving_to("93.184.216.34")(host, port), *resolving_to("10.0.0.7")(host, port)]

    with pytest.raises(FetchRefused, match="10.0.0.7 is a private address"):
        url_check("http://movies.example/", resolve=resolve)


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "ftp://movies.example/list",
        "gopher://x/",
        "javascript:alert(1)",
        "//movies.example/",
    ],
)
def test_only_http_and_https_urls_are_scraped(url):
    with pytest.raises(FetchRefused, match="Only http:// and https://"):
        url_check_literal(url)


def test_a_url_with_credentials_is_refused():
    with pytest.raises(FetchRefused, match="user name or password"):
        url_check_literal("http://admin:secret@movies.example/")


def test_a_literal_private_address_is_refused_without_any_dns(lambda_policy):
    with pytest.raises(FetchRefused, match="169.254.169.254 is a link-local address"):
        url_check_literal("http://169.254.169.254/latest/meta-data/")


def test_the_laptop_stages_reach_everything_by_default():
    url_check("http://127.0.0.1:8000/sandbox/scraper/movies/")


def test_a_page_on_an_allowed_network_is_fetched(loopback_host_only, sandbox):
    page = page_fetch(f"{sandbox}/movies/?rows=3")

    assert page.status == 200
    assert page.text.count("<tr><td>tt") == 3
    assert page.size == len(page.text.encode())


def test_loopback_is_refused_on_lambda_before_connecting(lambda_policy, sandbox):
    with pytest.raises(FetchRefused, match="127.0.0.1 is a loopback address"):
        page_fetch(f"{sandbox}/movies/")


def test_a_redirect_to_a_refused_address_is_refused(loopback_host_only, sandbox, live_server):
    port = live_server.url.rsplit(":", 1)[1]
    target = f"http://127.0.0.2:{port}/sandbox/scraper/movies/"  # loopback, but not 127.0.0.1

    with pytest.raises(FetchRefused, match="127.0.0.2 is a loopback address"):
        page_fetch(f"{sandbox}/redirect/?to={target}")


def test_a_redirect_to_another_scheme_is_refused(loopback_host_only, sandbox):
    with pytest.raises(FetchRefused, match=r"Only http:// and https:// .*\(file: given\)"):
        page_fetch(f"{sandbox}/redirect/?to=file:///etc/passwd")


def test_an_allowed_redirect_is_followed(loopback_host_only, sandbox):
    page = page_fetch(f"{sandbox}/redirect/?to=/sandbox/scraper/movies/%3Frows%3D2")

    assert page.url.endswith("/sandbox/scraper/movies/?rows=2")
    assert page.text.count("<tr><td>tt") == 2


def test_a_page_over_the_size_cap_is_not_read(sandbox, settings):
    settings.SCRAPER_MAX_PAGE_BYTES = 10_000

    with pytest.raises(UpstreamError, match="larger than 10,000 bytes"):
        page_fetch(f"{sandbox}/movies/")


def test_an_upstream_error_status_is_a_readable_error(sandbox):
    with pytest.raises(UpstreamError, match="answered 400"):
        page_fetch(f"{sandbox}/movies/?rows=0")


def test_an_unknown_host_is_a_readable_error():
    def resolve(host, port, **kwargs):
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    with pytest.raises(UpstreamError, match="could not be found"):
        url_check("http://no-such-host.invalid/", resolve=resolve)


@pytest.fixture
def dripping_page():
    """A page behind a redirect whose body arrives a byte every 0.3 s (each read well inside any
    read timeout): what stalled a scrape for 24 s."""
    import time
    from http.server import BaseHTTPRequestHandler

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            if self.path == "/start":
                self.send_response(302)
                self.send_header("Location", "/movies")
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            body = b"<html><body>" + b"." * 20 + b"</body></html>"
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            try:
                for byte in body:
                    self.wfile.write(bytes([byte]))
                    self.wfile.flush()
                    time.sleep(0.3)
            except OSError:
                pass

        def log_message(self, *args):
            pass

    with serving(Handler) as url:
        yield url


def test_a_page_fetch_has_one_deadline_for_its_redirects_and_body(dripping_page, settings):
    import time

    settings.UPSTREAM_TIMEOUT_SECONDS = 1

    started = time.monotonic()
    with pytest.raises(UpstreamError, match=r"^The movies page did not answer within 1 s\.$"):
        page_fetch(f"{dripping_page}/start")

    assert time.monotonic() - started < 1.6
