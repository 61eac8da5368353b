from drf_spectacular.utils import extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.serializers import MeSerializer
from accounts.services import user_time_zone_update


class MeView(APIView):
    """The caller's account: who the API thinks you are, and the time zone your days start in."""

    @extend_schema(responses=MeSerializer)
    def get(self, request):
        return Response(MeSerializer(request.user).data)

    @extend_schema(request=MeSerializer, responses=MeSerializer)
    def patch(self, request):
        serializer = MeSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        if "time_zone" in serializer.validated_data:
            user_time_zone_update(user=request.user, time_zone=serializer.validated_data["time_zone"])
        return Response(MeSerializer(request.user).data)
