from rest_framework import serializers

from accounts.models import validate_time_zone


class MeSerializer(serializers.Serializer):
    username = serializers.CharField(read_only=True)
    email = serializers.EmailField(read_only=True)
    time_zone = serializers.CharField(max_length=64, validators=[validate_time_zone])
