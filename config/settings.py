"""Settings for every stage, read from the environment with local defaults.

STAGE is one of local, test, dev, prod. local and test run on a laptop (SQLite, the embedded
AWS emulator, sandbox upstreams); dev and prod run on Lambda and have no default for secrets.
Keep this module cheap to import: it runs on every Lambda cold start.
"""

from pathlib import Path

import dj_database_url

from core.contract import naming
from core.env import (
    LAPTOP_STAGES,
    app_settings,
    env_bool,
    env_int,
    env_list,
    env_rate,
    env_str,
    sandbox_base_url,
    stage,
)

# The name in every resource's and the function's name (core.contract.naming).
PROJECT_NAME = naming.PROJECT_NAME

BASE_DIR = Path(__file__).resolve().parent.parent

STAGE = stage()
ON_LAPTOP = STAGE in LAPTOP_STAGES

DEBUG = env_bool("DEBUG", ON_LAPTOP)
if DEBUG:
    SECRET_KEY = env_str("SECRET_KEY", "django-insecure-local-only-key-do-not-deploy")
else:
    SECRET_KEY = env_str("SECRET_KEY")

AWS_REGION = env_str("AWS_REGION", env_str("AWS_DEFAULT_REGION", "us-east-1"))

ALLOWED_HOSTS = env_list(
    "ALLOWED_HOSTS",
    ["127.0.0.1", "localhost", "testserver"]
    if ON_LAPTOP
    else [f".execute-api.{AWS_REGION}.amazonaws.com", f".lambda-url.{AWS_REGION}.on.aws"],
)
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "core.web.lazy_admin.LazyAdminConfig",  # django.contrib.admin, its apps' admin modules loaded on first use
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "core",
    "core.deploy",
    *(["core.local"] if ON_LAPTOP else []),
    # The product's apps: each registers itself through its AppConfig (core.apps); adding one here
    # is all config needs (docs/architecture.md: "How to add an app").
    "accounts",
    "routines",
    "scraper",
    "prices",
    "countries",
    "tracker",
]
AUTH_USER_MODEL = "accounts.User"

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "core.web.middleware.LazyWhiteNoiseMiddleware",  # WhiteNoise, built on the first static request
    "core.web.middleware.SessionMiddleware",  # Django's; a session DynamoDB cannot save is a 503, not a 500
    "core.web.middleware.CommonMiddleware",  # Django's; no slash redirects under /api/ (a JSON 404 instead)
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "core.web.middleware.UserTimeZoneMiddleware",  # times on pages in the signed-in user's zone
    "django.contrib.messages.middleware.MessageMiddleware",
    "core.web.throttling.PageWriteThrottleMiddleware",  # page writes; DRF throttles the API (below)
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "core.web.middleware.DataStoreUnavailableMiddleware",  # DynamoDB unreachable: a 503 page / JSON, not a 500
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "core.web.context_processors.navigation",
            ],
        },
    },
]

# Relational store: a SQLite file on the laptop, RDS / Aurora PostgreSQL when DATABASE_URL says so.
if ON_LAPTOP:
    _database_url = env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}")
else:
    _database_url = env_str("DATABASE_URL")
DATABASES = {
    "default": dj_database_url.parse(
        _database_url,
        conn_max_age=env_int("DB_CONN_MAX_AGE", 0 if ON_LAPTOP else 60),
        conn_health_checks=not ON_LAPTOP,
    )
}
# SQLite (the laptop's default) takes concurrent writers: WAL lets reads run beside a write,
# IMMEDIATE takes the write lock when a transaction begins (a deferred one that reads first and then
# writes fails at once with "database is locked", whatever the timeout), and a writer waits up to
# SQLITE_BUSY_TIMEOUT seconds for another one to finish.
if DATABASES["default"].get("ENGINE") == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
        "transaction_mode": "IMMEDIATE",
        "timeout": env_int("SQLITE_BUSY_TIMEOUT", 20),
    }
# PostgreSQL: the session's zone is set when the connection starts (libpq's startup options), so Django
# never sends its own `SET TIME ZONE 'UTC'` round trip on each new connection, which it does whenever
# the server's default differs by name (Debian's and many images' is "Etc/UTC"): one query less per cold start.
if DATABASES["default"].get("ENGINE") == "django.db.backends.postgresql":
    _pg_options = DATABASES["default"].setdefault("OPTIONS", {})
    _pg_options["options"] = f"{_pg_options.get('options', '')} -c TimeZone=UTC".strip()
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

LANGUAGE_CODE = "en-us"
TIME_ZONE = env_str("TIME_ZONE", "UTC")
# The zone a new user's "today" starts in until they pick their own.
DEFAULT_USER_TIME_ZONE = env_str("DEFAULT_USER_TIME_ZONE", "America/New_York")
USE_I18N = True
USE_TZ = True

# An absolute path: the request's script prefix (API Gateway's /<stage>) is added to each static
# URL when it is built (core/web/storage.py), never cached in STATIC_URL the first time it is read.
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "core.web.storage.PrefixedStaticFilesStorage"
        if DEBUG
        else "core.web.storage.PrefixedManifestStaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG

# Sessions live in DynamoDB (core/aws/sessions.py); messages ride on them.
SESSION_ENGINE = "core.aws.sessions"
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 14 * 24 * 3600)

# Throttles (core/web/throttling.py) count in DynamoDB (core/aws/cache.py), shared by every Lambda instance.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "throttle": {"BACKEND": "core.aws.cache.DynamoCache", "KEY_PREFIX": "throttle"},
    "schedule-claims": {"BACKEND": "core.aws.cache.DynamoCache", "KEY_PREFIX": "schedule"},
}
THROTTLE_CACHE = "throttle"
# Scheduled firings claimed before their command runs (config/events.py): the same DynamoDB table.
SCHEDULE_CLAIMS_CACHE = "schedule-claims"
# A claim not marked done lapses after this long, so a run killed mid-way is retried (> timeout).
SCHEDULE_CLAIM_SECONDS = env_int("SCHEDULE_CLAIM_SECONDS", 120)
THROTTLE_RATES = {
    # Login attempts per client IP and, separately, per username tried (the form and /api/auth/login/).
    "login": env_rate("THROTTLE_LOGIN_RATE", "20/15min"),
    # Writes (API and pages) per user, or per client IP when signed out.
    "write": env_rate("THROTTLE_WRITE_RATE", "120/min"),
    # Password-reset emails asked for, per client IP and, separately, per address typed.
    "password_reset": env_rate("THROTTLE_PASSWORD_RESET_RATE", "5/hour"),
}

# Email (core/aws/mail.py): the laptop's outbox (/sandbox/core/outbox/), Amazon SES (API v2) on Lambda.
# EMAIL_SENDER is the From of every email (an address or domain verified in SES); unset on Lambda,
# password reset says it is not set up. The role may send from it only (core/deploy/iam.py).
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND", "core.aws.mail.OutboxBackend" if ON_LAPTOP else "django_ses.SESBackend"
)
DEFAULT_FROM_EMAIL = env_str("EMAIL_SENDER", "Serverless Django <no-reply@localhost>" if ON_LAPTOP else None)
SERVER_EMAIL = DEFAULT_FROM_EMAIL
USE_SES_V2 = True
AWS_SES_REGION_NAME = env_str("AWS_SES_REGION", AWS_REGION)
AWS_SES_REGION_ENDPOINT = env_str("AWS_SES_REGION_ENDPOINT", f"email.{AWS_SES_REGION_NAME}.amazonaws.com")
AWS_SES_AUTO_THROTTLE = None  # no GetAccount call before each send (the role may only send)
# Seconds a password-reset link stays valid (Django's default is 3 days).
PASSWORD_RESET_TIMEOUT = env_int("PASSWORD_RESET_TIMEOUT", 3600)

# AWS: a real account, or the embedded emulator when AWS_ENDPOINT_URL points at it.
AWS_ENDPOINT_URL = env_str("AWS_ENDPOINT_URL", None)
LOCAL_AWS_PORT = env_int("LOCAL_AWS_PORT", 4566)
# The embedded emulator's journal of DynamoDB writes, replayed at start (core.local.moto_server):
# beside the SQLite file it goes with, "off" for none; LOCAL_AWS_JOURNAL_FSYNC also survives a power cut.
_sqlite_name = str(DATABASES["default"]["NAME"]) if "sqlite" in DATABASES["default"]["ENGINE"] else ""
LOCAL_AWS_JOURNAL = env_str(
    "LOCAL_AWS_JOURNAL",
    f"{_sqlite_name}.aws-journal" if _sqlite_name else str(BASE_DIR / "local-aws.journal"),
)
LOCAL_AWS_JOURNAL_FSYNC = env_bool("LOCAL_AWS_JOURNAL_FSYNC", False)
# Seconds a minute of a rate(...) schedule lasts in the local event runner (the recovery gate: 2).
LOCAL_RATE_MINUTE_SECONDS = env_int("LOCAL_RATE_MINUTE_SECONDS", 60)
# The one prefix of every table, queue, topic and stream (core.contract.naming); point it at a deployed
# stage's resources from the desktop with AWS_RESOURCE_PREFIX=serverless-django-dev-.
AWS_RESOURCE_PREFIX = env_str("AWS_RESOURCE_PREFIX", naming.stage_prefix(STAGE))

# Upstream APIs: the real hosts on dev/prod. On the laptop each app's stand-in (its
# sandbox_urls_module, mounted at /sandbox/<app>/ by this same server) answers instead: an app's
# upstream setting defaults to f"{SANDBOX_BASE_URL}/<app>/..." there. devserver exports the address
# it serves on; tests point it at their live server.
SANDBOX_BASE_URL = sandbox_base_url()
UPSTREAM_TIMEOUT_SECONDS = env_int("UPSTREAM_TIMEOUT_SECONDS", 5)

# The Lambda entry point (config/lambda_entry.py, config/events.py) runs only what is listed:
# management commands a `{"manage": ...}` event or a schedule may run, besides the commands the
# schedules of zappa_settings.json name (always allowed) -- the operations a deploy needs. Not
# clearsessions: django.contrib.sessions is not installed (sessions are DynamoDB items that the
# table's TTL deletes, core/aws/sessions.py), so the command does not exist...
LAMBDA_ALLOWED_COMMANDS = env_list(
    "LAMBDA_ALLOWED_COMMANDS",
    [
        "migrate",
        "showmigrations",
        "check",
        # Not provision or sync_event_sources: the role may not create tables, queues or mappings (its
        # policy, core.deploy.iam, grants what the running code does); they run from the desktop.
        "create_admin",  # the stage's first admin, its password from SSM (accounts/management/commands)
        "restore_hot_items",
        "redrive",  # failures waiting in the on-failure queues (`zappa manage dev redrive`)
        "send_reminders",  # the routines' reminders, also by hand (`zappa manage dev send_reminders`)
    ],
)
# ... and the dotted functions a `{"command": "module.function"}` event (`zappa invoke`) may call:
# none by default (the packaged tests list their set-up functions here).
LAMBDA_ALLOWED_FUNCTIONS = env_list("LAMBDA_ALLOWED_FUNCTIONS", [])

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "core.web.strict.StrictPageNumberPagination",  # ?page=x is a 404
    "PAGE_SIZE": env_int("API_PAGE_SIZE", 20),
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    # drf-spectacular's AutoSchema, imported only when a schema is built (config/schema.py).
    "DEFAULT_SCHEMA_CLASS": "config.schema.AutoSchema",
    # Services' ValidationError -> 400 with field errors, DoesNotExist -> 404 (core/web/api_errors.py).
    "EXCEPTION_HANDLER": "core.web.api_errors.exception_handler",
    # Every write is throttled per user in the shared cache: 429 with a JSON body (core/web/throttling.py).
    "DEFAULT_THROTTLE_CLASSES": ["core.web.throttling.WriteThrottle"],
    # The browsable API links only GET-able extra actions and shows `code` spans (core/web/renderers.py).
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "core.web.renderers.BrowsableAPIRenderer",
    ],
    "VIEW_DESCRIPTION_FUNCTION": "core.web.renderers.view_description",
    # DRF's JSON parser with a depth limit: a body nested too deeply is a JSON 400 (core/web/parsers.py).
    "DEFAULT_PARSER_CLASSES": [
        "core.web.parsers.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Serverless Django API",
    "DESCRIPTION": "Routines, order tracker, gas prices, countries and the movies scraper.",
    "VERSION": "1.0.0",
    "DEFAULT_GENERATOR_CLASS": "config.schema_generator.SchemaGenerator",
    "SERVE_INCLUDE_SCHEMA": False,
    # ENUM_NAME_OVERRIDES: the apps' schema_enum_names (core.apps.CoreConfig.ready).
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # The API's contract is JSON (the browsable API's forms still post form data).
    "PARSER_WHITELIST": ["core.web.parsers.JSONParser"],
    # Every operation documents its 400/401/403/404/413/429 (config/schema_hooks.py).
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "config.schema_hooks.add_error_responses",
    ],
}

# Behind API Gateway / ALB the request arrives as HTTPS and is forwarded.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "botocore": {"level": "WARNING"},
        "pynamodb": {"level": "WARNING"},
        "werkzeug": {"level": "WARNING"},
        # runserver prints these itself.
        "django.utils.autoreload": {"level": "WARNING"},
    },
}

# Each app's own settings (its upstream hosts, secrets, limits and deadlines) live in its
# <app>/conf.py, read from the environment the same way. Merged in here, last (none may shadow one
# of config's), so every module reads them as settings.<NAME> and tests override them so.
globals().update(app_settings(BASE_DIR, INSTALLED_APPS, taken=[n for n in globals() if n.isupper()]))
