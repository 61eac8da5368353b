"""The scraper API: scrape runs (start one, follow it), the movies they stored, the errors.

Views parse input, call one service or selector and serialize the result; everything is the
caller's own (another user's run or movie is a 404). Services raise ``ValidationError`` (-> 400
with field errors), too many scrapes at once (a 429) and a queue that refuses the request (a 503):
core/web/api_errors.py answers them. Movies and errors come from DynamoDB Queries, paged by an opaque cursor.
"""

from __future__ import annotations

from urllib.parse import urlencode

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.response import Response

from accounts.callers import caller
from core.web.viewsets import OwnerScopedMixin, error_response
from scraper import selectors, services
from scraper.models import ScrapeRun
from scraper.serializers import (
    ErrorPageSerializer,
    ErrorQuerySerializer,
    MoviePageSerializer,
    MovieQuerySerializer,
    MovieSerializer,
    ScrapeDeleteQuerySerializer,
    ScrapeRequestSerializer,
    ScrapeRunSerializer,
)

NOT_FOUND = error_response("Not one of yours (or no such thing).")
TOO_MANY = error_response("You already have the most scrapes running at once.")
UNAVAILABLE = error_response("The queue refused the request; the run is failed.")
MOVIE_ID = OpenApiParameter(
    "id", OpenApiTypes.STR, OpenApiParameter.PATH, description="A movie id, e.g. tt0292215."
)


def _next_url(request, cursor: str | None) -> str | None:
    if cursor is None:
        return None
    params = request.query_params.copy()
    params["cursor"] = cursor
    return request.build_absolute_uri(request.path) + "?" + urlencode(params, doseq=True)


@extend_schema_view(
    list=extend_schema(
        responses={
            200: ScrapeRunSerializer(many=True),
            404: error_response("A page past the last one."),
        }
    ),
    retrieve=extend_schema(responses={200: ScrapeRunSerializer, 404: NOT_FOUND}),
)
class ScrapeRunViewSet(
    OwnerScopedMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Your scrapes, newest first. POST `{"url": "https://..."}` starts one (default: the configured
    page); GET `/api/scrapes/{id}/` again and again for live progress until `finished` is true;
    DELETE `/api/scrapes/{id}/` (`?movies=true`: and its movies) once it has finished."""

    serializer_class = ScrapeRunSerializer
    filter_backends: list = []
    owned_model = ScrapeRun
    owned_list = staticmethod(selectors.scrape_run_list)

    def get_serializer_class(self):
        return ScrapeRequestSerializer if self.action == "create" else ScrapeRunSerializer

    @extend_schema(
        request=ScrapeRequestSerializer,
        responses={201: ScrapeRunSerializer, 429: TOO_MANY, 503: UNAVAILABLE},
    )
    def create(self, request, *args, **kwargs):
        """Start a scrape: the run is queued and its page fetched, read and streamed in the background."""
        serializer = ScrapeRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        run = services.scrape_run_request(
            owner=caller(request), url=serializer.validated_data.get("url"), trigger=ScrapeRun.Trigger.API
        )
        return Response(ScrapeRunSerializer(run).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        parameters=[ScrapeDeleteQuerySerializer],
        responses={
            204: None,
            404: NOT_FOUND,
        },
    )
    def destroy(self, request, pk=None):
        """Delete a finished run and its errors; `movies=true`: the movies it stored too. A run not
        finished yet (or, with `movies=true`, any of your runs in flight) is a 400."""
        query = ScrapeDeleteQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        if not (pk or "").isdigit() or len(pk or "") > 18:
            raise ScrapeRun.DoesNotExist("No such scrape.")
        services.scrape_run_delete(
            owner=caller(request), pk=int(pk or ""), with_movies=query.validated_data["movies"]
        )
        return Response(status=status.HTTP_204_NO_CONTENT)


class MovieViewSet(viewsets.GenericViewSet):
    """The movies your scrapes stored (DynamoDB). Filter by `genre`, `year_from`/`year_to` and
    `title`; pages follow `next` (a cursor). Order: by id; with a year range by year; in a genre by
    year, movies without a year last."""

    serializer_class = MovieSerializer
    filter_backends: list = []
    pagination_class = None
    lookup_value_regex = "[^/]+"

    @extend_schema(parameters=[MovieQuerySerializer], responses={200: MoviePageSerializer})
    def list(self, request):
        query = MovieQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        options = dict(query.validated_data)
        page = selectors.movie_list(owner=caller(request), limit=options.pop("page_size"), **options)
        body = {
            "count": page.count,
            "sort": page.sort,
            "next": _next_url(request, page.next_cursor),
            "next_cursor": page.next_cursor,
            "previous": _next_url(request, page.previous_cursor),
            "previous_cursor": page.previous_cursor,
            "movies": page.movies,
        }
        return Response(MoviePageSerializer(body).data)

    @extend_schema(parameters=[MOVIE_ID], responses={200: MovieSerializer, 404: NOT_FOUND})
    def retrieve(self, request, pk=None):
        movie = selectors.movie_get(owner=caller(request), movie_id=pk or "")
        return Response(MovieSerializer(movie).data)


class ScrapeErrorViewSet(viewsets.GenericViewSet):
    """Pages that could not be read and stream records that were not valid movies, newest first;
    `?run=` for one of your runs (404 for anybody else's)."""

    serializer_class = ErrorPageSerializer
    filter_backends: list = []
    pagination_class = None

    @extend_schema(
        parameters=[ErrorQuerySerializer],
        responses={200: ErrorPageSerializer, 404: NOT_FOUND},
    )
    def list(self, request):
        query = ErrorQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        run_id = query.validated_data.get("run")
        if run_id is not None:
            selectors.scrape_run_get(owner=caller(request), pk=run_id)  # 404 unless it is yours
        page = selectors.scrape_error_list(
            owner=caller(request),
            run_id=run_id,
            cursor=query.validated_data.get("cursor"),
            limit=query.validated_data["page_size"],
        )
        body = {
            "next": _next_url(request, page.next_cursor),
            "next_cursor": page.next_cursor,
            "errors": page.errors,
        }
        return Response(ErrorPageSerializer(body).data)
