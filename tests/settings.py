"""Settings of the test suite: the product's settings on STAGE=test, beside the embedded AWS.

pytest-django imports this module before anything else, so STAGE=test decides table and queue
names, and one moto server on a free loopback port serves the whole session (every boto3 and
PynamoDB call goes over HTTP to it, as it would to AWS). No real AWS credentials or profile can
leak into a test run.
"""

import os

from tests.support.net import free_port

os.environ["STAGE"] = "test"
for _var in ("AWS_PROFILE", "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_DYNAMODB", "AWS_RESOURCE_PREFIX"):
    os.environ.pop(_var, None)


# The product's embedded server (DynamoDB requests serialized, as DynamoDB is atomic), no journal.
from core.local.moto_server import EmbeddedMotoServer  # noqa: E402

_port = free_port()
_server = EmbeddedMotoServer(port=_port)
_server.start()
os.environ.update(
    {
        "AWS_ENDPOINT_URL": f"http://127.0.0.1:{_port}",
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_SESSION_TOKEN": "testing",
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_REGION": "us-east-1",
    }
)

from config.settings import *  # noqa: E402,F403

# Fast password hashing: tests create many users.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# A file, not SQLite's in-memory database: pytest-django's live server then gives each of its
# request threads a connection of its own, as runserver does, instead of sharing the test's one
# (which hid "database is locked" from every test with parallel clients).
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    import tempfile

    DATABASES["default"]["TEST"] = {  # noqa: F405
        "NAME": os.path.join(tempfile.gettempdir(), f"serverless-django-test-{os.getpid()}.sqlite3")
    }

# Throttle counters: a local-memory cache, emptied before each test (tests/conftest.py), so tests
# never count each other's requests; the DynamoDB cache itself is tested in tests/core/test_throttling.py.
CACHES = {
    **CACHES,  # noqa: F405
    "throttle": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "throttle"},
}

# Django's own contract suites for the hand-written session engine and cache (tests/contract/):
# their test packages are apps, taken from the installed Django's source distribution.
from tests.contract import django_suite  # noqa: E402

INSTALLED_APPS = [*INSTALLED_APPS, *django_suite.installed_apps()]  # noqa: F405
