"""Users for tests. Personas: ``UserFactory(username="alice")`` logs in with ``alice-Pass-2026!``."""

import factory

from accounts.models import User


def persona_password(username: str) -> str:
    return f"{username}-Pass-2026!"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.com")
    time_zone = "Europe/Paris"

    @factory.post_generation
    def password(user, create, extracted, **kwargs):
        user.set_password(extracted or persona_password(user.username))
        if create:
            user.save(update_fields=["password"])
