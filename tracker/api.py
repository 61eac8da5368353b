"""The tracker API: your tracked orders, each one's timeline, changing, stopping, hiding and removing one.

``GET|POST /api/orders/`` (orders being tracked first; ``?hidden=true`` lists the hidden ones),
``GET|PATCH|DELETE /api/orders/{id}/`` (PATCH changes the name at any time, the phone and the
stages while tracked, and ``{"hidden": true}`` hides an ended order from the list, ``false`` shows
it again; DELETE stops tracking and answers the stopped order; the order and its history stay),
``GET /api/orders/{id}/stages/``, ``POST /api/orders/{id}/remove/`` (an ended order, for good: 204).
Everything is
the caller's own: anybody else's order is a 404. Views parse, call one service or selector, and
serialize.
"""

from __future__ import annotations

from collections.abc import Mapping

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import exceptions, mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from accounts.callers import caller
from core.web.viewsets import OwnerScopedMixin, error_response
from tracker import selectors, services
from tracker.models import TrackedOrder
from tracker.serializers import (
    OrderChangeSerializer,
    OrderCreateSerializer,
    OrderListQuerySerializer,
    OrderSerializer,
    TimelineSerializer,
)

NOT_FOUND = error_response("Not one of your orders (or no such order).")
TOO_MANY = error_response("You already track the most orders at once.")
UNAVAILABLE = error_response("The token could not be encrypted right now.")


@extend_schema_view(
    list=extend_schema(
        parameters=[OrderListQuerySerializer],
        responses={
            200: OrderSerializer(many=True),
            404: error_response("A page past the last one."),
        },
    ),
    retrieve=extend_schema(responses={200: OrderSerializer, 404: NOT_FOUND}),
)
class OrderViewSet(
    OwnerScopedMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """Your tracked orders: those being tracked first, then ended ones, newest first in each; an
    ended order you hid is listed only with `?hidden=true`. POST `{"tracker_url", "token", "phone",
    "texted_stages", "name"}` starts tracking; PATCH `{"name", "phone", "texted_stages", "hidden"}`
    changes an order (phone and stages while it is tracked; hidden once it ended); DELETE stops
    tracking (the token is erased; the order and its timeline stay); POST .../remove/ removes an
    ended order for good."""

    serializer_class = OrderSerializer
    filter_backends: list = []
    owned_model = TrackedOrder
    owned_list = staticmethod(selectors.order_list)

    def get_queryset(self):
        if self.action == "list" and not getattr(self, "swagger_fake_view", False):
            query = OrderListQuerySerializer(data=self.request.query_params)
            query.is_valid(raise_exception=True)
            return selectors.order_list_shown(
                owner=caller(self.request), hidden=query.validated_data["hidden"]
            )
        return super().get_queryset()

    def get_serializer_class(self):
        return OrderCreateSerializer if self.action == "create" else OrderSerializer

    @extend_schema(
        request=OrderCreateSerializer,
        responses={201: OrderSerializer, 429: TOO_MANY, 503: UNAVAILABLE},
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
        order = services.order_create(owner=caller(request), **serializer.validated_data)
        return Response(
            OrderSerializer(order, context={"request": request}).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(request=OrderChangeSerializer, responses={200: OrderSerializer, 404: NOT_FOUND})
    def partial_update(self, request, *args, **kwargs):
        """Change an order: `name` at any time (`""` for none), `phone` and `texted_stages` while it
        is tracked (the next texts go to that phone, at those stages; a stage already passed is not
        texted afterwards), `hidden` true once it ended (false shows it again). Fields left out stay
        as they are; nothing changes if one is refused."""
        pk = selectors.order_get(owner=caller(request), pk=self._pk()).pk  # anybody else's: a 404 first
        body = OrderChangeSerializer(data=request.data)
        if not body.is_valid():
            given = request.data if isinstance(request.data, Mapping) else {}
            checked = ("name", "phone", "texted_stages")
            passed = {name: given[name] for name in checked if name in given and name not in body.errors}
            raise exceptions.ValidationError({**services.order_input_errors(**passed), **body.errors})
        order = services.order_update(owner=caller(request), pk=pk, **body.validated_data)
        return Response(OrderSerializer(order, context={"request": request}).data)

    @extend_schema(
        request=None,
        responses={
            204: None,
            404: NOT_FOUND,
            503: error_response("DynamoDB could not be reached: nothing was removed."),
        },
    )
    @action(detail=True, methods=["post"], url_path="remove", url_name="remove")
    def remove(self, request, pk=None):
        """Remove an ended order for good: the order, its timeline, its texts. A tracked order is
        refused (stop it first, DELETE), as is one with a text still due (a minute later it is not)."""
        request.data  # noqa: B018 (the body is ignored, but a malformed one is still a 400)
        services.order_remove(owner=caller(request), pk=self._pk())
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(responses={200: OrderSerializer, 404: NOT_FOUND})
    def destroy(self, request, *args, **kwargs):
        """Stop tracking the order (idempotent): its token is erased; the order and its timeline stay."""
        order = services.order_stop(owner=caller(request), pk=self._pk())
        return Response(OrderSerializer(order, context={"request": request}).data)

    @extend_schema(responses={200: TimelineSerializer, 404: NOT_FOUND})
    @action(detail=True, methods=["get"], url_path="stages", url_name="stages")
    def stages(self, request, pk=None):
        """The order, every stage it reached with when it was seen (oldest first), and its texts."""
        order = selectors.order_get(owner=caller(request), pk=self._pk())
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
