from rest_framework import serializers

from accounts.models import validate_time_zone
from core.web.strict import StrictCharField


class NullableEmailField(serializers.EmailField):
    """An address, or null (or "") for none."""

    def __init__(self, **kwargs):
        super().__init__(allow_null=True, allow_blank=True, max_length=254, **kwargs)


class MeSerializer(serializers.Serializer):
    username = serializers.CharField(read_only=True)
    # null, not "", when the account has no address: "" is not an email (the schema says format: email).
    email = NullableEmailField(required=False)
    time_zone = StrictCharField(max_length=64, validators=[validate_time_zone])

    def to_representation(self, instance):
        data = super().to_representation(instance)
        data["email"] = instance.email or None
        return data


class AccountDeleteSerializer(serializers.Serializer):
    password = StrictCharField(max_length=4096, help_text="Your password, to confirm.")
