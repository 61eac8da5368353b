"""Project middleware: WhiteNoise built on the first static-file request instead of on every cold
start, Django's CommonMiddleware without slash redirects under /api/, and the 503 answers of an
unreachable DynamoDB (core.aws.unavailable)."""

from __future__ import annotations

from urllib.parse import urlparse

from django.conf import settings
from django.contrib.sessions.middleware import SessionMiddleware as DjangoSessionMiddleware
from django.middleware.common import CommonMiddleware as DjangoCommonMiddleware

# Paths answered as an API: a missing trailing slash is the API's JSON 404 (core.web.views.not_found),
# not APPEND_SLASH's redirect (an HTML 301 that drops a POST's body, or a RuntimeError 500 for a
# POST with DEBUG on).
NO_SLASH_REDIRECT_PREFIXES = ("/api/",)


class CommonMiddleware(DjangoCommonMiddleware):
    """Django's, except that paths under /api/ are never redirected to add a slash."""

    def should_redirect_with_slash(self, request):
        if request.path_info.startswith(NO_SLASH_REDIRECT_PREFIXES):
            return False
        return super().should_redirect_with_slash(request)


class LazyWhiteNoiseMiddleware:
    """``whitenoise.middleware.WhiteNoiseMiddleware``, created when a URL under STATIC_URL arrives.

    WhiteNoise imports itself and indexes every file of STATIC_ROOT when Django builds the
    middleware chain, which on Lambda is every cold start (~10 ms), although API requests never
    serve a static file. This stand-in passes other requests straight through until the first
    static one, then hands every request to the real middleware. The prefix is worked out as
    WhiteNoise does (and read at start-up, as WhiteNoise reads it); WHITENOISE_ROOT is not used
    here (it would serve files outside the static prefix). Reading ``STATIC_URL`` before any request
    is safe because it is an absolute path (``/static/``, matched against PATH_INFO, which never
    holds API Gateway's stage): the stage goes in front of each URL the storage builds
    (core/web/storage.py), not into the setting Django caches.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.whitenoise = None
        prefix = getattr(settings, "WHITENOISE_STATIC_PREFIX", None)
        if prefix is None:
            prefix = urlparse(settings.STATIC_URL or "").path
            if settings.FORCE_SCRIPT_NAME:
                script_name = settings.FORCE_SCRIPT_NAME.rstrip("/")
                if prefix.startswith(script_name):
                    prefix = prefix[len(script_name) :]
        self.static_prefix = "/" + prefix.strip("/") + "/"

    def __call__(self, request):
        if self.whitenoise is None:
            if not request.path_info.startswith(self.static_prefix):
                return self.get_response(request)
            from whitenoise.middleware import WhiteNoiseMiddleware

            self.whitenoise = WhiteNoiseMiddleware(self.get_response)
        return self.whitenoise(request)


class DataStoreUnavailableMiddleware:
    """A view that fails because DynamoDB cannot be reached answers 503 (core.aws.unavailable), not 500.

    Pages get templates/503.html, the API (and requests asking for JSON) a JSON body; DRF views
    answer their own 503 in core.web.api_errors before this is reached.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        from core.aws.unavailable import is_unavailable, unavailable_response

        if not is_unavailable(exception):
            return None
        return unavailable_response(request, exception)


class SessionMiddleware(DjangoSessionMiddleware):
    """Django's, answering 503 (not 500) when the session cannot be saved because DynamoDB is away."""

    def process_response(self, request, response):
        from core.aws.unavailable import DataStoreUnavailable, unavailable_response

        try:
            return super().process_response(request, response)
        except DataStoreUnavailable as exc:
            return unavailable_response(request, exc)


class UserTimeZoneMiddleware:
    """Show every time in the signed-in user's zone (accounts' ``time_zone``): templates' ``|date``
    and ``|moment``, forms and the admin read the active zone. Django's documented pattern
    (topics/i18n/timezones, "Selecting the current time zone"); API requests authenticated by a token
    get their zone from the serializers, which read the request's user."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from core.clock import user_time

        with user_time(getattr(request, "user", None)):
            return self.get_response(request)
