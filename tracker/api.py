"""The tracker API: your tracked orders, each one's timeline, stopping one, hiding an ended one.

``GET|POST /api/orders/`` (orders being tracked first; ``?hidden=true`` lists the hidden ones),
``GET|PATCH|DELETE /api/orders/{id}/`` (PATCH ``{"hidden": true}`` hides an ended order from the
list, ``false`` shows it again; DELETE stops tracking and answers the stopped order; the order and
its history stay), ``GET /api/orders/{id}/stages/``. Everything is
the caller's own: anybody else's order is a 404. Views parse, call one service or selector, and
serialize.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import cast

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import exceptions, mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from accounts.models import User
from tracker import selectors, services
from tracker.models import TrackedOrder
from tracker.serializers import (
    OrderCreateSerializer,
    OrderHiddenSerializer,
    OrderListQuerySerializer,
    OrderSerializer,
    TimelineSerializer,
    TrackerMessageSerializer,
)

FIELD_ERRORS = OpenApiResponse(OpenApiTypes.OBJECT, description='Field errors: {"field": ["message", ...]}.')
NOT_FOUND = OpenApiResponse(
    TrackerMessageSerializer, description="Not one of your orders (or no such order)."
)
TOO_MANY = OpenApiResponse(TrackerMessageSerializer, description="You already track the most orders at once.")
UNAVAILABLE = OpenApiResponse(
    TrackerMessageSerializer, description="The token could not be encrypted right now."
)


class ServiceUnavailable(exceptions.APIException):
    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_detail = "The service is unavailable; try again in a moment."
    default_code = "unavailable"


def _caller(request) -> User:
    return cast(User, request.user)


@extend_schema_view(
    list=extend_schema(
        parameters=[OrderListQuerySerializer],
        responses={
            200: OrderSerializer(many=True),
            404: OpenApiResponse(TrackerMessageSerializer, description="A page past the last one."),
        },
    ),
    retrieve=extend_schema(responses={200: OrderSerializer, 404: NOT_FOUND}),
)
class OrderViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.DestroyModelMixin, viewsets.GenericViewSet
):
    """Your tracked orders: those being tracked first, then ended ones, newest first in each; an
    ended order you hid is listed only with `?hidden=true`. POST `{"tracker_url", "token", "phone",
    "texted_stages"}` starts tracking; PATCH `{"hidden": true}` hides an ended order; DELETE stops
    tracking (the token is erased; the order and its timeline stay)."""

    serializer_class = OrderSerializer
    filter_backends: list = []

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return TrackedOrder.objects.none()
        if self.action == "list":
            query = OrderListQuerySerializer(data=self.request.query_params)
            query.is_valid(raise_exception=True)
            return selectors.order_list_shown(
                owner=_caller(self.request), hidden=query.validated_data["hidden"]
            )
        return selectors.order_list(owner=_caller(self.request))

    def get_serializer_class(self):
        return OrderCreateSerializer if self.action == "create" else OrderSerializer

    @extend_schema(
        request=OrderCreateSerializer,
        responses={201: OrderSerializer, 400: FIELD_ERRORS, 429: TOO_MANY, 503: UNAVAILABLE},
    )
    def create(self, request, *args, **kwargs):
        """Start tracking an order: it is polled every minute and you are texted at the stages you chose."""
        serializer = OrderCreateSerializer(data=request.data)
        if not serializer.is_valid():
            # The serializer stops at JSON types; the fields it let through are checked by the
            # service as well, so every wrong field is reported at once.
            given = request.data if isinstance(request.data, Mapping) else {}
            passed: dict[str, object] = {
                str(name): given[name]
                for name in serializer.fields
                if name in given and name not in serializer.errors
            }
            raise exceptions.ValidationError({**services.order_input_errors(**passed), **serializer.errors})
        try:
            order = services.order_create(owner=_caller(request), **serializer.validated_data)
        except services.TooManyOrders as exc:
            raise exceptions.Throttled(detail=str(exc)) from exc
        except services.OrderNotStored as exc:
            raise ServiceUnavailable(str(exc)) from exc
        return Response(
            OrderSerializer(order, context={"request": request}).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(
        request=OrderHiddenSerializer, responses={200: OrderSerializer, 400: FIELD_ERRORS, 404: NOT_FOUND}
    )
    def partial_update(self, request, *args, **kwargs):
        """Hide an ended order from the list (`{"hidden": true}`), or show it again (`false`)."""
        pk = selectors.order_get(owner=_caller(request), pk=self._pk()).pk  # anybody else's: a 404 first
        body = OrderHiddenSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        order = services.order_hidden_set(owner=_caller(request), pk=pk, hidden=body.validated_data["hidden"])
        return Response(OrderSerializer(order).data)

    @extend_schema(responses={200: OrderSerializer, 404: NOT_FOUND})
    def destroy(self, request, *args, **kwargs):
        """Stop tracking the order (idempotent): its token is erased; the order and its timeline stay."""
        order = services.order_stop(owner=_caller(request), pk=self._pk())
        return Response(OrderSerializer(order, context={"request": request}).data)

    @extend_schema(responses={200: TimelineSerializer, 404: NOT_FOUND})
    @action(detail=True, methods=["get"], url_path="stages", url_name="stages")
    def stages(self, request, pk=None):
        """The order, every stage it reached with when it was seen (oldest first), and its texts."""
        order = selectors.order_get(owner=_caller(request), pk=self._pk())
        body = {
            "order": order,
            "stages": selectors.order_changes(order=order),
            "texts": selectors.order_texts(order=order),
        }
        return Response(TimelineSerializer(body, context={"request": request}).data)

    def _pk(self) -> int:
        raw = self.kwargs.get("pk", "")
        if not (isinstance(raw, str) and raw.isascii() and raw.isdigit()) or len(raw) > 18:
            raise exceptions.NotFound("No such order.")
        return int(raw)
