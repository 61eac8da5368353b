"""The countries API: the original's three endpoints at its own paths, and the caller's fetches.

* ``GET|POST /fetch-data/<code>/``: record a fetch and queue it (HEAD is a 405; GET and POST count
  against the write throttle); 202 with the request id and the
  URLs to follow it. ``GET /view-data/<code>/``: the stored document (404 if never fetched).
  ``GET /status/<code>/``: the fetch attempts, newest first. Anonymous callers too (as the
  original), throttled per client (``COUNTRIES_CLIENT_RATE``) and, for fetches, per code
  (``COUNTRIES_CODE_RATE``); every failure is the original's ``{"Code", "Message"}`` body
  (countries/api_errors.py), for every path under the three (``original_any_path``).
* ``/api/country-fetches/``: your own fetch requests and their attempts (login required).
* ``/api/countries/?search=``: the endpoints, and countries by code or name.
* ``/api/countries/stored/``: your stored countries (filter by region, sort by name or population,
  paginated, each with when it was fetched and whether it is stale); ``/api/countries/compare/?a=&b=``:
  two of them side by side.

Views parse the input, call one service or selector, and serialize the result.
"""

from __future__ import annotations

import math
from typing import Any, cast

from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, mixins, status, viewsets
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.reverse import reverse
from rest_framework.throttling import BaseThrottle
from rest_framework.views import APIView

from accounts.models import User
from core.web.throttling import WriteThrottle, client_ip, hit, parse_rate
from core.web.viewsets import OwnerScopedMixin
from countries import selectors, services
from countries.api_errors import original_exception_handler
from countries.codes import CODE_HELP, country_code_clean, country_search
from countries.models import FetchRequest
from countries.serializers import (
    AttemptStatusSerializer,
    CompareQuerySerializer,
    CompareSerializer,
    CountriesIndexSerializer,
    CountryErrorSerializer,
    CountrySearchQuerySerializer,
    FetchAcceptedSerializer,
    FetchRequestSerializer,
    StoredCountriesPageSerializer,
    StoredCountriesQuerySerializer,
)

CODE = OpenApiParameter(
    "code",
    OpenApiTypes.STR,
    OpenApiParameter.PATH,
    description=f"{CODE_HELP} An unknown or malformed code is a 400 BadRequestError.",
)


def _error(description: str) -> OpenApiResponse:
    return OpenApiResponse(CountryErrorSerializer, description=description)


ERRORS = {
    400: _error("BadRequestError: not a country code (two letters of an assigned ISO 3166-1 code)."),
    401: _error("UnauthorizedError: a token was sent and it is not valid (send none to stay anonymous)."),
    403: _error("ForbiddenError: a session write without its CSRF token."),
    404: _error("NotFoundError: nothing stored for this code (view-data; the others always match)."),
    429: _error("TooManyRequestsError: too many requests from you, or for this code; see Retry-After."),
    503: _error("ServiceUnavailableError: the database or DynamoDB cannot be reached right now."),
}


class CountriesClientThrottle(BaseThrottle):
    """Every request to the original's endpoints, per user or (signed out) per client IP."""

    def allow_request(self, request: Any, view: Any) -> bool:
        from django.conf import settings

        user = request.user
        ident = f"user:{user.pk}" if user and user.is_authenticated else f"ip:{client_ip(request)}"
        self.wait_seconds = hit(
            scope="countries", ident=ident, rate=parse_rate(settings.COUNTRIES_CLIENT_RATE)
        )
        return self.wait_seconds is None

    def wait(self) -> float | None:
        return self.wait_seconds


class OriginalEndpoint(APIView):
    """The shared shape of the original's endpoints: anyone, throttled, errors as {Code, Message}."""

    permission_classes = [AllowAny]
    throttle_classes = [CountriesClientThrottle, WriteThrottle]

    def get_exception_handler(self):
        return original_exception_handler

    def throttled(self, request, wait):
        raise exceptions.Throttled(
            wait=wait, detail=f"Too many requests; try again in {math.ceil(wait or 1)} seconds."
        )


def _code(raw: str) -> str:
    return country_code_clean(raw)  # ValidationError -> 400 BadRequestError


class FetchWriteThrottle(WriteThrottle):
    """The write throttle for ``/fetch-data/``, whose GET writes (it records and queues a fetch,
    as the original's did): every GET and POST counts, as every write does elsewhere."""

    def allow_request(self, request: Any, view: Any) -> bool:
        if request.method in ("GET", "POST"):
            user = request.user
            ident = f"user:{user.pk}" if user and user.is_authenticated else f"ip:{client_ip(request)}"
            self.wait_seconds = hit(scope=self.scope, ident=ident)
            return self.wait_seconds is None
        return super().allow_request(request, view)


class FetchDataView(OriginalEndpoint):
    """Queue a fetch of a country from REST Countries (GET as in the original, or POST).

    Answers 202 at once: the fetch runs in the background. Follow it at `status_url` (or, logged in,
    `/api/country-fetches/{request_id}/`); the document is at `view_url` once it is done. When the
    queue cannot be reached the request is kept and sent later: `status` is then "pending".
    HEAD is a 405: it never records or queues anything.
    """

    throttle_classes = [CountriesClientThrottle, FetchWriteThrottle]

    def _allowed_methods(self) -> list[str]:
        return [method for method in super()._allowed_methods() if method != "HEAD"]  # type: ignore[misc]

    def head(self, request, code: str):
        # Django answers HEAD with GET when a view has no head(); here GET writes, HEAD never does.
        raise exceptions.MethodNotAllowed(
            "HEAD", detail="HEAD is not allowed here: GET or POST queues a fetch."
        )

    @extend_schema(
        operation_id="fetch_data_retrieve",
        parameters=[CODE],
        request=None,
        responses={202: FetchAcceptedSerializer, **ERRORS},
    )
    def get(self, request, code: str):
        return self._fetch(request, code)

    @extend_schema(
        operation_id="fetch_data_create",
        parameters=[CODE],
        request=None,
        responses={202: FetchAcceptedSerializer, **ERRORS},
    )
    def post(self, request, code: str):
        return self._fetch(request, code)

    def _fetch(self, request, code: str) -> Response:
        fetch = services.fetch_request_create(
            code=_code(code), owner=cast(User, request.user), trigger=FetchRequest.Trigger.API
        )
        queued = fetch.status != FetchRequest.Status.PENDING
        message = (
            f"fetch data request for country ({fetch.code}) successfully queued."
            if queued
            else f"fetch data request for country ({fetch.code}) recorded; it is queued as soon as the queue "
            "can be reached."
        )
        body = {
            "message": message,
            "request_id": fetch.pk,
            "code": fetch.code,
            "status": fetch.status,
            "status_url": reverse("countries:status", kwargs={"code": fetch.code}, request=request),
            "view_url": reverse("countries:view-data", kwargs={"code": fetch.code}, request=request),
        }
        return Response(FetchAcceptedSerializer(body).data, status=status.HTTP_202_ACCEPTED)


class ViewDataView(OriginalEndpoint):
    """The stored REST Countries v3.1 document of a country (read from DynamoDB)."""

    @extend_schema(
        operation_id="view_data_retrieve",
        parameters=[CODE],
        responses={
            200: OpenApiResponse(OpenApiTypes.OBJECT, description="The REST Countries v3.1 document."),
            **ERRORS,
            404: _error("NotFoundError: this country was never fetched (queue it at /fetch-data/{code}/)."),
        },
    )
    def get(self, request, code: str):
        clean = _code(code)
        document = selectors.country_document_get(code=clean)
        if document is None:
            raise exceptions.NotFound(f"{clean} was never fetched: GET /fetch-data/{clean}/ first.")
        return Response(document)


class StatusView(OriginalEndpoint):
    """The attempts to fetch a country, newest first (the 50 newest): when, whether it worked, the
    error, how long."""

    @extend_schema(
        operation_id="status_retrieve",
        parameters=[CODE],
        responses={200: AttemptStatusSerializer(many=True), **ERRORS},
    )
    def get(self, request, code: str):
        attempts = selectors.fetch_attempt_list(code=_code(code))
        return Response(AttemptStatusSerializer(attempts, many=True).data)


ORIGINAL_VIEWS = {
    "fetch-data": FetchDataView.as_view(),
    "view-data": ViewDataView.as_view(),
    "status": StatusView.as_view(),
}


@csrf_exempt  # as the views it hands to (DRF's SessionAuthentication checks CSRF for sessions)
def original_any_path(request, endpoint: str, rest: str = ""):
    """Every other path under the original's endpoints (``/fetch-data/BR``, ``/status/PY``,
    ``/fetch-data/``, ``/fetch-data``): the endpoint's own view with the code the path holds, so
    its answer is the endpoint's JSON (a 400 ``BadRequestError`` for a missing or bad code), never
    APPEND_SLASH's redirect (an HTML 500 for a POST) or the site's HTML 404."""
    return ORIGINAL_VIEWS[endpoint](request, code=rest.removeprefix("/").removesuffix("/"))


class CountriesIndexView(APIView):
    """The countries endpoints (and your stored countries, and compare), and countries by code or
    name (`?search=par`, at most 10). Login
    required, as for the rest of the API beyond the original's three endpoints."""

    @extend_schema(parameters=[CountrySearchQuerySerializer], responses={200: CountriesIndexSerializer})
    def get(self, request):
        query = CountrySearchQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        # Path templates, not URLs: the browsable API turns every absolute URL into a link, and a
        # link to /fetch-data/{code}/ only answers 400.
        endpoints = {
            name: reverse(f"countries:{name}", kwargs={"code": "XX"}).replace("XX", "{code}")
            for name in ("fetch-data", "view-data", "status")
        }
        endpoints["fetches"] = reverse("country-fetch-list", request=request)
        endpoints["stored"] = reverse("countries-stored-api", request=request)
        endpoints["compare"] = reverse("countries-compare-api") + "?a={code}&b={code}"  # a template too
        results = country_search(query.validated_data.get("search", ""))
        return Response(CountriesIndexSerializer({"endpoints": endpoints, "results": results}).data)


class FetchRequestViewSet(
    OwnerScopedMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Your fetch requests, newest first, each with its attempts. Poll `/api/country-fetches/{id}/`
    until `finished` is true. Queue one with `POST /fetch-data/{code}/` while logged in."""

    serializer_class = FetchRequestSerializer
    filter_backends: list = []
    owned_model = FetchRequest
    owned_list = staticmethod(selectors.fetch_request_list)


class StoredCountriesView(APIView):
    """Your stored countries: every country a fetch of yours stored. Filter by `region`, sort by
    `name` or `population` (`-` for descending), `page` through them. Each says when its document
    was last fetched (by anybody: a country's document is shared) and whether that is longer ago
    than `stale_after_hours` (`stale`): POST its `refetch_url` to fetch it again. A page past the
    last is a 400 (page 1 of none is an empty page)."""

    @extend_schema(
        parameters=[StoredCountriesQuerySerializer], responses={200: StoredCountriesPageSerializer}
    )
    def get(self, request):
        from django.conf import settings
        from django.core.paginator import Paginator
        from rest_framework.utils.urls import replace_query_param

        query = StoredCountriesQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        wanted = query.validated_data
        countries = selectors.stored_country_list(
            owner=cast(User, request.user), region=wanted["region"], sort=wanted["sort"]
        )
        paginator = Paginator(countries, wanted["page_size"], allow_empty_first_page=True)
        if wanted["page"] > paginator.num_pages:
            raise exceptions.ValidationError(
                {"page": [f"Page {wanted['page']} is past the last page ({paginator.num_pages})."]}
            )
        page = paginator.page(wanted["page"])
        url = request.build_absolute_uri()
        stale_before = selectors.stored_country_stale_before()
        results = [
            {
                **{f: getattr(c, f) for f in ("code", "name", "official_name", "region", "subregion")},
                "population": c.population,
                "fetched_at": c.fetched_at,
                "stale": c.fetched_at < stale_before,
                "refetching": c.refetching,
                "refetch_url": reverse("countries:fetch-data", kwargs={"code": c.code}, request=request),
                "view_url": reverse("countries:view-data", kwargs={"code": c.code}, request=request),
            }
            for c in page.object_list
        ]
        body = {
            "count": paginator.count,
            "page": page.number,
            "pages": paginator.num_pages,
            "next": replace_query_param(url, "page", page.next_page_number()) if page.has_next() else None,
            "previous": replace_query_param(url, "page", page.previous_page_number())
            if page.has_previous()
            else None,
            "stale_after_hours": settings.COUNTRIES_STALE_AFTER_HOURS,
            "results": results,
        }
        return Response(StoredCountriesPageSerializer(body).data)


class CompareCountriesView(APIView):
    """Two of your stored countries side by side (`?a=PY&b=BR`): each one's fields from its stored
    document, and the comparison as rows of text. A malformed or unknown code, a missing one or the
    same code twice is a 400; a country that is not one of yours (you never fetched it, or its fetch
    has not finished) or whose document is gone is a 404 that names it."""

    @extend_schema(
        parameters=[CompareQuerySerializer],
        responses={
            200: CompareSerializer,
            404: OpenApiResponse(description="One of the two is not one of your stored countries."),
        },
    )
    def get(self, request):
        from countries.cards import country_comparison

        query = CompareQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        codes = (query.validated_data["a"], query.validated_data["b"])
        compared = selectors.stored_country_compare(owner=cast(User, request.user), codes=codes)
        rows = [
            {"label": label, "values": [first, second]}
            for label, first, second in country_comparison(compared[0].card, compared[1].card)
        ]
        return Response(CompareSerializer({"countries": compared, "rows": rows}).data)
