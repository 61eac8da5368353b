"""Countries objects for tests: fetch requests (ORM) and attempts."""

from __future__ import annotations

import factory

from countries.models import FetchAttempt, FetchRequest
from tests.accounts.factories import UserFactory


class FetchRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FetchRequest

    code = "PY"
    owner = factory.SubFactory(UserFactory)
    status = FetchRequest.Status.QUEUED


class FetchAttemptFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FetchAttempt

    request = factory.SubFactory(FetchRequestFactory)
    code = factory.LazyAttribute(lambda attempt: attempt.request.code)
    success = True
    duration_ms = 42
