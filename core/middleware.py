"""WhiteNoise, built on the first static-file request instead of on every cold start."""

from __future__ import annotations

from urllib.parse import urlparse

from django.conf import settings


class LazyWhiteNoiseMiddleware:
    """``whitenoise.middleware.WhiteNoiseMiddleware``, created when a URL under STATIC_URL arrives.

    WhiteNoise imports itself and indexes every file of STATIC_ROOT when Django builds the
    middleware chain, which on Lambda is every cold start (~10 ms), although API requests never
    serve a static file. This stand-in passes other requests straight through until the first
    static one, then hands every request to the real middleware. The prefix is worked out as
    WhiteNoise does (and read at start-up, as WhiteNoise reads it); WHITENOISE_ROOT is not used
    here (it would serve files outside the static prefix).
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
