"""The prices API: weekly reports (public data, any signed-in user), the latest week, and the
caller's own drop-alert subscriptions.

Views parse input, call one service or selector and serialize the result. Services raise
``ValidationError`` (-> 400 with field errors) and ``DeliveryUnavailable`` (SNS refused a
subscription change and nothing is changed: a 503), answered by core/web/api_errors.py; another
user's subscription is a 404.
"""

from __future__ import annotations

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from accounts.callers import caller
from core.web.viewsets import OwnerScopedMixin, error_response
from prices import selectors, services
from prices.models import Subscription
from prices.serializers import (
    LatestPricesSerializer,
    PriceQuerySerializer,
    PriceReportSerializer,
    SubscriptionCreateSerializer,
    SubscriptionSerializer,
    SubscriptionUpdateSerializer,
)

NOT_FOUND = error_response("Not one of yours (or no such thing).")
UNAVAILABLE = error_response("SNS refused the change; nothing was changed.")
PAST_LAST = error_response("A page past the last one.")


@extend_schema_view(
    list=extend_schema(
        parameters=[PriceQuerySerializer],
        responses={200: PriceReportSerializer(many=True), 404: PAST_LAST},
    )
)
class PriceReportViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """NY gasoline prices, one per week and region, newest week first. Filter with `region`,
    `start` and `end` (weeks, inclusive). Regions other than the state average begin in 2016."""

    serializer_class = PriceReportSerializer
    filter_backends: list = []

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return selectors.price_report_list()
        query = PriceQuerySerializer(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        return selectors.price_report_list(**query.validated_data)

    @extend_schema(responses={200: LatestPricesSerializer})
    @action(detail=False, methods=["get"], pagination_class=None)
    def latest(self, request):
        """The newest week of every region with its change from the region's previous week."""
        results = selectors.price_latest_list()
        newest = max((row.week for row in results), default=None)
        return Response(LatestPricesSerializer({"week": newest, "results": results}).data)


@extend_schema_view(
    list=extend_schema(responses={200: SubscriptionSerializer(many=True), 404: PAST_LAST}),
    retrieve=extend_schema(responses={200: SubscriptionSerializer, 404: NOT_FOUND}),
    partial_update=extend_schema(
        request=SubscriptionUpdateSerializer, responses={200: SubscriptionSerializer, 404: NOT_FOUND}
    ),
)
class SubscriptionViewSet(
    OwnerScopedMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """Your price alerts: an email address, the regions it watches, the smallest week-over-week drop
    worth an email and/or a target price (an email when a region falls under it). One subscription
    per address within your account (an address you subscribed already is a 400: PATCH that one to
    change its alerts); other accounts' use of an address is never shown. SNS sends a new address a
    confirmation link first (`confirmation` is `pending` until it is followed; reading your
    subscriptions asks SNS again). Every alert links to an unsubscribe page for that subscription too."""

    serializer_class = SubscriptionSerializer
    filter_backends: list = []
    owned_model = Subscription
    owned_list = staticmethod(selectors.subscription_list)

    def get_serializer_class(self):
        if self.action == "create":
            return SubscriptionCreateSerializer
        if self.action == "partial_update":
            return SubscriptionUpdateSerializer
        return SubscriptionSerializer

    def list(self, request, *args, **kwargs):
        services.subscription_confirmations_refresh(owner=caller(request))
        return super().list(request, *args, **kwargs)

    def retrieve(self, request, *args, **kwargs):
        services.subscription_confirmations_refresh(owner=caller(request))
        return super().retrieve(request, *args, **kwargs)

    def partial_update(self, request, *args, **kwargs):
        """Change the regions, the smallest drop or the target; fields left out stay. The address
        and its confirmation stay too (subscribe another address instead)."""
        subscription = self.get_object()
        serializer = SubscriptionUpdateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        subscription = services.subscription_update(
            owner=caller(request), pk=subscription.pk, **serializer.validated_data
        )
        return Response(SubscriptionSerializer(subscription).data)

    @extend_schema(request=None, responses={200: SubscriptionSerializer, 404: NOT_FOUND, 503: UNAVAILABLE})
    @action(detail=True, methods=["post"], url_path="resend-confirmation")
    def resend_confirmation(self, request, pk=None):
        """Ask SNS to email the address its confirmation link again (nothing to do once confirmed).
        It takes no body; one sent must still be JSON."""
        _ = request.data  # parsed, so a malformed or too deeply nested body is a 400
        subscription = self.get_object()
        subscription = services.subscription_confirmation_resend(owner=caller(request), pk=subscription.pk)
        return Response(SubscriptionSerializer(subscription).data)

    @extend_schema(
        request=SubscriptionCreateSerializer,
        responses={201: SubscriptionSerializer, 503: UNAVAILABLE},
    )
    def create(self, request, *args, **kwargs):
        serializer = SubscriptionCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        subscription = services.subscription_create(owner=caller(request), **serializer.validated_data)
        return Response(SubscriptionSerializer(subscription).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses={204: None, 404: NOT_FOUND, 503: UNAVAILABLE})
    def destroy(self, request, *args, **kwargs):
        subscription = self.get_object()
        services.subscription_delete(owner=caller(request), pk=subscription.pk)
        return Response(status=status.HTTP_204_NO_CONTENT)
