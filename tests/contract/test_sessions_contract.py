"""core.aws.sessions held to Django's own session contract, on the emulator (tests/contract/django_suite.py).

``SessionTestsMixin`` is what every session backend Django ships passes; it runs twice, as Django
runs its database backend, with ``USE_TZ`` on (the product's setting) and off.
``SessionMiddlewareTests`` runs Django's session middleware over the product's ``SESSION_ENGINE``.
"""

import pytest
from django.test import SimpleTestCase, override_settings

from core.aws.sessions import SessionStore
from tests.contract import django_suite

django_suite.require()

from sessions_tests import tests as django_sessions  # noqa: E402

pytestmark = pytest.mark.usefixtures("aws")


@django_suite.excluding_in("sessions_tests")
class DynamoSessionContractTests(django_sessions.SessionTestsMixin, SimpleTestCase):
    backend = SessionStore


@override_settings(USE_TZ=False)
class DynamoSessionWithoutTimeZoneContractTests(DynamoSessionContractTests):
    pass


@django_suite.excluding_in("sessions_tests")
@override_settings(SESSION_ENGINE="core.aws.sessions")
class DynamoSessionMiddlewareContractTests(django_sessions.SessionMiddlewareTests):
    pass
