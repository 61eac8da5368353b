import json

from django.contrib.auth import logout
from django.core.serializers.json import DjangoJSONEncoder
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.serializers import AccountDeleteSerializer, MeSerializer
from accounts.services import user_data_export, user_delete, user_profile_update, user_time_zone_update


class MeView(APIView):
    """The caller's account: who the API thinks you are, the address a password reset goes to and the
    time zone your days start in."""

    @extend_schema(responses=MeSerializer)
    def get(self, request):
        return Response(MeSerializer(request.user).data)

    @extend_schema(request=MeSerializer, responses=MeSerializer)
    def patch(self, request):
        serializer = MeSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        if "email" in data:
            user_profile_update(
                user=request.user,
                email=data["email"] or "",
                time_zone=data.get("time_zone", request.user.time_zone),
            )
        elif "time_zone" in data:
            user_time_zone_update(user=request.user, time_zone=data["time_zone"])
        return Response(MeSerializer(request.user).data)


class MeDeleteView(APIView):
    """Delete your account and everything in it, everywhere (routines and ticks, tracked orders with
    their tokens, price alerts and their subscriptions, fetches, scrapes and their movies, your API
    token and every session): send your password to confirm. A POST, not a DELETE with a body:
    OpenAPI tools drop the bodies of DELETE requests."""

    @extend_schema(request=AccountDeleteSerializer, responses={204: None})
    def post(self, request):
        serializer = AccountDeleteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user_delete(user=request.user, password=serializer.validated_data["password"])
        if getattr(request._request, "session", None) is not None:
            logout(request._request)
        return Response(status=204)


class MeExportView(APIView):
    """Everything you keep here, in every store, by app: the same JSON as "Export my data"."""

    @extend_schema(responses={200: OpenApiTypes.OBJECT})
    def get(self, request):
        # The same text as the page's download (DjangoJSONEncoder: times to the millisecond).
        return Response(json.loads(json.dumps(user_data_export(user=request.user), cls=DjangoJSONEncoder)))
