"""The prices API: weekly reports (public data, any signed-in user), the latest week, and the
caller's own drop-alert subscriptions.

Views parse input, call one service or selector and serialize the result. Services raise
``ValidationError`` (-> 400 with field errors) and ``DeliveryUnavailable`` (SNS refused a
subscription change and nothing is changed: a 503), answered by core/api_errors.py; another
user's subscription is a 404.
"""

from __future__ import annotations

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from accounts.callers import caller
from core.viewsets import OwnerScopedMixin, error_response
from prices import selectors, services
from prices.models import Subscription
from prices.serializers import (
    LatestPricesSerializer,
    PriceQuerySerializer,
    PriceReportSerializer,
    SubscriptionCreateSerializer,
    SubscriptionSerializer,
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
)
class SubscriptionViewSet(
    OwnerScopedMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """Your drop alerts: an email address, the regions it watches and the smallest drop worth an
    email. One subscription per address within your account (an address you subscribed already is
    a 400); other accounts' use of an address is never shown. SNS sends the address a confirmation
    link first. Every alert links to an unsubscribe page for that subscription too."""

    serializer_class = SubscriptionSerializer
    filter_backends: list = []
    owned_model = Subscription
    owned_list = staticmethod(selectors.subscription_list)

    def get_serializer_class(self):
        return SubscriptionCreateSerializer if self.action == "create" else SubscriptionSerializer

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
