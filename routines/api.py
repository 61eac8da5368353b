"""The routines API: routines with nested items, days, toggles and history, scoped to the caller.

Views parse input, call one service or selector and serialize the result. Services raise
Django's ``ValidationError`` (-> 400 with field errors) and ``DoesNotExist`` (-> 404 with the
service's message, e.g. an item deleted meanwhile): core/web/api_errors.py turns them into responses.
"""

from __future__ import annotations

from datetime import timedelta

import django_filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from accounts.callers import caller
from core import clock
from core.web.ids import object_id
from core.web.viewsets import OwnerScopedMixin
from routines import selectors, services
from routines.models import Routine, RoutineItem
from routines.serializers import (
    DayDateSerializer,
    DaySetSerializer,
    DayStateSerializer,
    DayToggleSerializer,
    HistoryQuerySerializer,
    HistorySerializer,
    ItemTextSerializer,
    ReorderItemsSerializer,
    ReorderRoutinesSerializer,
    RoutineCreateSerializer,
    RoutineItemSerializer,
    RoutineReplaceSerializer,
    RoutineSerializer,
    RoutineUpdateSerializer,
)

DATE_PARAM = OpenApiParameter(
    "date", OpenApiTypes.DATE, OpenApiParameter.PATH, description="The day, YYYY-MM-DD, in your time zone."
)
ROUTINE_PK_PARAM = OpenApiParameter("routine_pk", OpenApiTypes.INT, OpenApiParameter.PATH)


class RoutineFilter(django_filters.FilterSet):
    name = django_filters.CharFilter(lookup_expr="icontains", help_text="Part of the name, any case.")
    status = django_filters.ChoiceFilter(
        choices=Routine.Status.choices, help_text="Only active, paused or archived routines."
    )

    class Meta:
        model = Routine
        fields = ["name", "status"]

    def is_valid(self):
        valid = super().is_valid()
        if self.data.get("status", None) == "":  # django-filter takes an empty choice as "any"
            self.form.add_error("status", "Choose active, paused or archived, or leave status out.")
            return False
        return valid


@extend_schema_view(
    create=extend_schema(request=RoutineCreateSerializer, responses={201: RoutineSerializer}),
    update=extend_schema(request=RoutineReplaceSerializer, responses=RoutineSerializer),
    partial_update=extend_schema(request=RoutineUpdateSerializer, responses=RoutineSerializer),
)
class RoutineViewSet(
    OwnerScopedMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """Your routines: ordered checklists you tick off each day.

    Create one with `{"name": "Morning", "description": "...", "items": ["Shower", "Get dressed"]}`
    (and optionally its schedule: `"schedule": "weekdays", "weekdays": ["mon", "fri"]` or
    `"schedule": "weekly", "times_per_week": 3`; a reminder: `"remind_at": "07:30"`).
    PATCH `{"status": "paused"}` or `"archived"` takes a routine off Today (its history kept; its
    days off are not due), `"active"` resumes it.
    Names are unique per user, whatever the case ("morning" and "Morning" clash: 400);
    items are then added, renamed and deleted under `/api/routines/{id}/items/` and put in order with
    `reorder/`. A day's check-offs are at `days/{date}/` (GET, PUT) and `days/{date}/toggle/`.
    """

    serializer_class = RoutineSerializer
    filterset_class = RoutineFilter
    owned_model = Routine
    owned_list = staticmethod(selectors.routine_list)

    def get_serializer_class(self):
        return {
            "create": RoutineCreateSerializer,
            "update": RoutineReplaceSerializer,
            "partial_update": RoutineUpdateSerializer,
            "reorder": ReorderItemsSerializer,
            "reorder_routines": ReorderRoutinesSerializer,
            "day": DaySetSerializer,
            "toggle": DayToggleSerializer,
        }.get(self.action, RoutineSerializer)

    def _read(self, pk: int) -> Response:
        return Response(RoutineSerializer(selectors.routine_get(owner=caller(self.request), pk=pk)).data)

    def create(self, request, *args, **kwargs):
        serializer = RoutineCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        routine = services.routine_create(owner=request.user, **serializer.validated_data)
        response = self._read(routine.pk)
        response.status_code = status.HTTP_201_CREATED
        return response

    def update(self, request, *args, partial=False, **kwargs):
        routine = self.get_object()
        serializer = (RoutineUpdateSerializer if partial else RoutineReplaceSerializer)(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.routine_update(routine=routine, **serializer.validated_data)
        return self._read(routine.pk)

    def partial_update(self, request, *args, **kwargs):
        return self.update(request, *args, partial=True, **kwargs)

    def perform_destroy(self, instance):
        services.routine_delete(routine=instance)

    @extend_schema(request=ReorderItemsSerializer, responses=RoutineSerializer)
    @action(detail=True, methods=["post"])
    def reorder(self, request, pk=None):
        """Put the routine's items in order: `{"items": [every item id, in the new order]}`.

        Every item of the routine must be listed exactly once (else 400, nothing moves).
        """
        routine = self.get_object()
        serializer = ReorderItemsSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.routine_items_reorder(routine=routine, item_ids=serializer.validated_data["items"])
        return self._read(routine.pk)

    @extend_schema(
        operation_id="routines_reorder_all",
        request=ReorderRoutinesSerializer,
        responses=RoutineSerializer(many=True),
    )
    # All of them in their new order: one list, neither paginated nor filtered.
    @action(
        detail=False,
        methods=["post"],
        url_path="reorder",
        url_name="reorder",
        pagination_class=None,
        filter_backends=[],
    )
    def reorder_routines(self, request):
        """Put your routines in order: `{"routines": [every routine id, in the new order]}`.

        Every routine of yours must be listed exactly once (else 400, nothing moves). Answers all
        your routines in their new order, as one list.
        """
        serializer = ReorderRoutinesSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.routines_reorder(owner=request.user, routine_ids=serializer.validated_data["routines"])
        return Response(RoutineSerializer(selectors.routine_list(owner=request.user), many=True).data)

    def _day(self, date_text: str, *, check_future: bool = True):
        context = {}
        if check_future:
            context["latest_day"] = selectors.latest_day(zone=clock.user_zone(self.request.user))
        serializer = DayDateSerializer(data={"date": date_text}, context=context)
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data["date"]

    @extend_schema(methods=["GET"], parameters=[DATE_PARAM], responses=DayStateSerializer)
    @extend_schema(
        methods=["PUT"], parameters=[DATE_PARAM], request=DaySetSerializer, responses=DayStateSerializer
    )
    @action(detail=True, methods=["get", "put"], url_path=r"days/(?P<date>[^/]+)", url_name="day")
    def day(self, request, pk=None, date=None):
        """Which items are done on one day; PUT `{"checked": [item ids]}` replaces them.

        `date` is a day in your time zone, written YYYY-MM-DD. It may be written from the routine's
        first day (the day it was created, in your zone) to tomorrow; other days are refused with
        400. `checked` lists items of this routine only.
        """
        day = self._day(date)
        routine = self.get_object()
        if request.method == "GET":
            state = selectors.routine_day_state(routine=routine, day=day)
        else:
            serializer = DaySetSerializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            state = services.routine_day_set(
                owner=request.user,
                routine_id=routine.pk,
                day=day,
                item_ids=serializer.validated_data["checked"],
            )
        return Response(DayStateSerializer(state).data)

    @extend_schema(parameters=[DATE_PARAM], request=DayToggleSerializer, responses=DayStateSerializer)
    @action(detail=True, methods=["post"], url_path=r"days/(?P<date>[^/]+)/toggle", url_name="toggle")
    def toggle(self, request, pk=None, date=None):
        """Tick or untick one item on one day: `{"item": 12, "done": true}`.

        The hot path: one SQL query (the routine's items and your zone) and one atomic DynamoDB
        update, so taps from two devices at once both land. An item deleted meanwhile gives 404.
        `date` may be from the routine's first day (its creation, in your zone) to tomorrow; other
        days are refused with 400.
        """
        day = self._day(date, check_future=False)  # the service checks the future in one query
        serializer = DayToggleSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            routine_id = int(pk)
        except ValueError as exc:
            raise NotFound(services.ROUTINE_GONE) from exc
        state = services.routine_day_toggle(
            owner=request.user,
            routine_id=routine_id,
            item_id=serializer.validated_data["item"],
            day=day,
            done=serializer.validated_data["done"],
        )
        return Response(DayStateSerializer(state).data)

    @extend_schema(parameters=[HistoryQuerySerializer], responses=HistorySerializer)
    @action(detail=True, methods=["get"])
    def history(self, request, pk=None):
        """Done/total per day from `start` to `end` (default: the last 30 days), completion rate, current
        and best streak, and the completion of each month (the trend).

        Only days the routine was due count (its schedule; not while paused or archived): each day
        says `due` and its `mark`.

        Ask for at most 366 days at a time, `start` not after `end` (else 400). Only days since the routine
        existed (its creation day in your zone) count toward the rate and the streak.
        """
        zone = clock.user_zone(request.user)
        today = clock.zone_today(zone=zone)
        query = HistoryQuerySerializer(
            data=request.query_params,
            context={"today": today, "default_span": timedelta(days=selectors.HISTORY_DAYS - 1)},
        )
        query.is_valid(raise_exception=True)
        history = selectors.routine_history(
            routine=self.get_object(), zone=zone, today=today, **query.validated_data
        )
        return Response(HistorySerializer(history).data)


@extend_schema_view(
    list=extend_schema(parameters=[ROUTINE_PK_PARAM]),
    retrieve=extend_schema(parameters=[ROUTINE_PK_PARAM]),
    destroy=extend_schema(parameters=[ROUTINE_PK_PARAM]),
    create=extend_schema(
        parameters=[ROUTINE_PK_PARAM], request=ItemTextSerializer, responses={201: RoutineItemSerializer}
    ),
    update=extend_schema(
        parameters=[ROUTINE_PK_PARAM], request=ItemTextSerializer, responses=RoutineItemSerializer
    ),
    partial_update=extend_schema(
        parameters=[ROUTINE_PK_PARAM], request=ItemTextSerializer, responses=RoutineItemSerializer
    ),
)
class RoutineItemViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """The items of one of your routines: add (`{"text": "Shower"}`), rename, delete."""

    serializer_class = RoutineItemSerializer
    pagination_class = None  # a routine's items are one short ordered list

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        # An id no routine can have (e.g. beyond the database's integer range) is simply not found.
        routine_id = object_id(kwargs.get("routine_pk"))
        if routine_id is None:
            raise NotFound(services.ROUTINE_GONE)
        self.routine_id = routine_id

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return RoutineItem.objects.none()
        return RoutineItem.objects.filter(
            routine_id=self.routine_id, routine__owner=caller(self.request)
        ).order_by("position", "id")

    def get_serializer_class(self):
        if self.action in ("create", "update", "partial_update"):
            return ItemTextSerializer
        return RoutineItemSerializer

    def list(self, request, *args, **kwargs):
        if not Routine.objects.filter(pk=self.routine_id, owner=request.user).exists():
            raise NotFound(services.ROUTINE_GONE)
        return super().list(request, *args, **kwargs)

    def create(self, request, routine_pk=None):
        routine = selectors.routine_get(owner=request.user, pk=self.routine_id)
        serializer = ItemTextSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        item = services.routine_item_add(routine=routine, text=serializer.validated_data["text"])
        return Response(RoutineItemSerializer(item).data, status=status.HTTP_201_CREATED)

    def update(self, request, *args, partial=False, **kwargs):
        item = self.get_object()
        serializer = ItemTextSerializer(data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        if "text" in serializer.validated_data:  # PATCH {} changes nothing
            item = services.routine_item_rename(item=item, text=serializer.validated_data["text"])
        return Response(RoutineItemSerializer(item).data)

    def partial_update(self, request, *args, **kwargs):
        return self.update(request, *args, partial=True, **kwargs)

    def perform_destroy(self, instance):
        services.routine_item_delete(item=instance)
