from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.models import validate_time_zone
from core.strict import StrictCharField


class MeSerializer(serializers.Serializer):
    username = serializers.CharField(read_only=True)
    # null, not "", when the account has no address: "" is not an email (the schema says format: email).
    email = serializers.SerializerMethodField()
    time_zone = StrictCharField(max_length=64, validators=[validate_time_zone])

    @extend_schema_field({"type": "string", "format": "email", "nullable": True})
    def get_email(self, user) -> str | None:
        return user.email or None
