"""URL includes that import their views on first use, so a cold start imports only the app it serves.

Django's ``include("app.urls")`` imports the module (its views, forms, serializers, services...) when
config/urls.py is imported, i.e. on the first request of every Lambda container, for every app. A
:class:`LazyURLResolver` is the same include whose module is imported the first time a request
path enters its prefix (or when anything reverses a URL, which builds the whole map as before):
the first ``GET /api/routines/`` imports the routines API and none of the other apps' views.

* Resolution is unchanged: the patterns and their order are those of an eager include, and the
  module's ``app_name`` is its namespace, as ``include()`` makes it.
* :class:`NarrowPattern` lets several apps share one prefix (every app's API is under /api/)
  while only the app whose routes start with the path's first segment is imported: a lookahead on
  those segments, which matches without consuming anything and reads as "" (so the route strings
  that DRF's schema generator, ``ResolverMatch.route`` and the tests see are the eager ones).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any

from django.urls.resolvers import RegexPattern, RoutePattern, URLResolver
from django.utils.functional import cached_property


class LazyURLconf:
    """Stands in for a URLconf module whose ``urlpatterns`` are built by ``build()`` on first use."""

    def __init__(self, build: Callable[[], list[Any]], description: str) -> None:
        self._build = build
        self.description = description

    @cached_property
    def urlpatterns(self) -> list[Any]:
        return self._build()

    def __repr__(self) -> str:
        return f"<LazyURLconf {self.description}>"


class LazyURLResolver(URLResolver):
    """``include(urlconf)`` at ``pattern``, importing ``urlconf`` (a dotted module path or a
    :class:`LazyURLconf`) only when a path enters the pattern or the URL map is built for reversing.

    Without an explicit ``namespace``, the namespace and app name are the module's ``app_name``
    (read when the module is imported), as ``include()`` gives them.
    """

    def __init__(
        self,
        pattern: Any,
        urlconf: str | LazyURLconf,
        *,
        app_name: str | None = None,
        namespace: str | None = None,
    ) -> None:
        self._declared = (app_name, namespace or app_name) if (app_name or namespace) else None
        super().__init__(pattern, urlconf)  # type: ignore[arg-type]

    # URLResolver.__init__ assigns both; here they come from the module unless declared.
    @property
    def app_name(self) -> str | None:
        if self._declared is not None:
            return self._declared[0]
        return getattr(self.urlconf_module, "app_name", None)

    @app_name.setter
    def app_name(self, value: str | None) -> None:
        if value is not None:
            raise TypeError("LazyURLResolver takes app_name as a keyword argument")

    @property
    def namespace(self) -> str | None:
        if self._declared is not None:
            return self._declared[1]
        return getattr(self.urlconf_module, "app_name", None)

    @namespace.setter
    def namespace(self, value: str | None) -> None:
        if value is not None:
            raise TypeError("LazyURLResolver takes namespace as a keyword argument")

    @property
    def loaded(self) -> bool:
        """True once the module was imported (its patterns built)."""
        if isinstance(self.urlconf_name, LazyURLconf):
            return "urlpatterns" in self.urlconf_name.__dict__
        return "urlconf_module" in self.__dict__


def lazy_include(route: str, urlconf: str | LazyURLconf, **names: str | None) -> LazyURLResolver:
    """``path(route, include(urlconf))``, imported on first use."""
    return LazyURLResolver(RoutePattern(route, is_endpoint=False), urlconf, **names)


class NarrowPattern(RegexPattern):
    """Matches (without consuming) a path whose first segment is one of ``segments``.

    It reads as "" (``str()``), so an included pattern's route is what it would be without it.
    """

    def __init__(self, segments: Iterable[str]) -> None:
        alternatives = "|".join(re.escape(segment) for segment in sorted(set(segments)))
        super().__init__(rf"^(?=(?:{alternatives})(?:/|$))")
        self.segments = tuple(sorted(set(segments)))

    def __str__(self) -> str:
        return ""

    def describe(self) -> str:
        return f"'(first segment {' | '.join(self.segments)})'"


def first_segment(route_prefix: str) -> str | None:
    """The literal first segment of a router prefix ("routines/(?P<pk>...)/items" -> "routines"), or
    None when it is a regular expression (nothing to narrow on)."""
    segment = route_prefix.split("/", 1)[0]
    return segment if segment and re.fullmatch(r"[\w.~-]+", segment) else None
