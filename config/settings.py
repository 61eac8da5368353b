"""Settings for every stage, read from the environment with local defaults.

STAGE is one of local, test, dev, prod. local and test run on a laptop (SQLite, the embedded
AWS emulator, sandbox upstreams); dev and prod run on Lambda and have no default for secrets.
Keep this module cheap to import: it runs on every Lambda cold start.
"""

import os
from pathlib import Path

import dj_database_url

from config.env import env_bool, env_choice, env_int, env_list, env_rate, env_str
from core import naming

# The name in every resource's and the function's name (core.naming).
PROJECT_NAME = naming.PROJECT_NAME

BASE_DIR = Path(__file__).resolve().parent.parent

STAGE = env_choice("STAGE", "local", ("local", "test", "dev", "prod"))
# dev and prod are Lambda's stages: their settings (no default secrets, DATABASE_URL required, the real
# upstreams) apply inside a Lambda function (AWS_LAMBDA_FUNCTION_NAME, which Lambda sets in every one)
# or where DEPLOYED_SETTINGS=true asks for them on purpose (`check --deploy`, the desktop against a
# stage's RDS). Anywhere else STAGE=dev names the target of a tooling command, not this process's
# stage (`make undeploy STAGE=dev` exports it to `manage.py undeploy --stage dev`): the process runs on
# the local stage's settings, as it does when the command is typed without make.
DEPLOYED = STAGE in ("dev", "prod") and (
    bool(os.environ.get("AWS_LAMBDA_FUNCTION_NAME")) or env_bool("DEPLOYED_SETTINGS", False)
)
if STAGE in ("dev", "prod") and not DEPLOYED:
    STAGE = "local"
ON_LAPTOP = not DEPLOYED

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
    "django.contrib.admin",
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
    "core.middleware.LazyWhiteNoiseMiddleware",  # WhiteNoise, built on the first static request
    "core.middleware.SessionMiddleware",  # Django's; a session DynamoDB cannot save is a 503, not a 500
    "core.middleware.CommonMiddleware",  # Django's; no slash redirects under /api/ (a JSON 404 instead)
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "core.middleware.UserTimeZoneMiddleware",  # times on pages in the signed-in user's zone
    "django.contrib.messages.middleware.MessageMiddleware",
    "core.throttling.PageWriteThrottleMiddleware",  # page writes; DRF throttles the API (below)
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "core.middleware.DataStoreUnavailableMiddleware",  # DynamoDB unreachable: a 503 page / JSON, not a 500
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
                "core.context_processors.navigation",
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
# URL when it is built (core/storage.py), never cached in STATIC_URL the first time it is read.
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "core.storage.PrefixedStaticFilesStorage"
        if DEBUG
        else "core.storage.PrefixedManifestStaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG

# Sessions live in DynamoDB (core/sessions.py); messages ride on them.
SESSION_ENGINE = "core.sessions"
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 14 * 24 * 3600)

# Throttles (core/throttling.py) count in DynamoDB (core/cache.py), shared by every Lambda instance.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "throttle": {"BACKEND": "core.cache.DynamoCache", "KEY_PREFIX": "throttle"},
    "schedule-claims": {"BACKEND": "core.cache.DynamoCache", "KEY_PREFIX": "schedule"},
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
}

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
# The one prefix of every table, queue, topic and stream (core.naming); point it at a deployed
# stage's resources from the desktop with AWS_RESOURCE_PREFIX=serverless-django-dev-.
AWS_RESOURCE_PREFIX = env_str("AWS_RESOURCE_PREFIX", naming.stage_prefix(STAGE))

# Upstream APIs: the real hosts on dev/prod. On the laptop each app's stand-in (its
# sandbox_urls_module, mounted at /sandbox/<app>/ by this same server) answers instead: an app's
# upstream setting defaults to f"{SANDBOX_BASE_URL}/<app>/..." there. devserver exports the address
# it serves on; tests point it at their live server.
SANDBOX_BASE_URL = env_str("SANDBOX_BASE_URL", "http://127.0.0.1:8000/sandbox") if ON_LAPTOP else None
DOMINOS_TRACKER_BASE_URL = env_str("DOMINOS_TRACKER_BASE_URL", "https://api.dominos.com.my")
# On the laptop texts go to the tracker's Twilio stand-in (f"{SANDBOX_BASE_URL}/tracker/twilio").
TWILIO_BASE_URL = env_str("TWILIO_BASE_URL", None if ON_LAPTOP else "https://api.twilio.com")
# Unset on the laptop: the prices sandbox at f"{SANDBOX_BASE_URL}/prices", read when called.
NY_OPEN_DATA_BASE_URL = env_str("NY_OPEN_DATA_BASE_URL", None if ON_LAPTOP else "https://data.ny.gov")
REST_COUNTRIES_BASE_URL = env_str("REST_COUNTRIES_BASE_URL", "https://restcountries.com")
MOVIES_PAGE_URL = env_str("MOVIES_PAGE_URL", f"{SANDBOX_BASE_URL}/scraper/movies/" if ON_LAPTOP else None)
UPSTREAM_TIMEOUT_SECONDS = env_int("UPSTREAM_TIMEOUT_SECONDS", 5)

# countries (seed 004). The upstream is REST_COUNTRIES_BASE_URL (above) + COUNTRIES_UPSTREAM_PATH with
# the code appended: REST Countries retired its hosted v3.1 endpoint, so both stay configurable.
# On the laptop, unset ("") means the stand-in at SANDBOX_BASE_URL, read when a fetch runs (devserver
# sets SANDBOX_BASE_URL to the address it serves on after settings load).
if ON_LAPTOP:
    REST_COUNTRIES_BASE_URL = env_str("REST_COUNTRIES_BASE_URL", "")
COUNTRIES_UPSTREAM_PATH = env_str("COUNTRIES_UPSTREAM_PATH", "/v3.1/alpha/")
# The laptop shows flags from the countries sandbox (offline), not the documents' flagcdn.com images.
COUNTRIES_LOCAL_FLAGS = ON_LAPTOP
# Requests to /fetch-data/, /view-data/ and /status/ per client (user, or IP signed out), and fetches
# of one code by everybody together (more answer 429).
COUNTRIES_CLIENT_RATE = env_rate("COUNTRIES_CLIENT_RATE", "60/min")
COUNTRIES_CODE_RATE = env_rate("COUNTRIES_CODE_RATE", "10/min")
# The circuit breaker around REST Countries (state shared in DynamoDB): consecutive failures that
# open it, and seconds it stays open before one trial call (half-open).
COUNTRIES_BREAKER_FAIL_MAX = env_int("COUNTRIES_BREAKER_FAIL_MAX", 5)
COUNTRIES_BREAKER_RESET_SECONDS = env_int("COUNTRIES_BREAKER_RESET_SECONDS", 60)
# Seconds a message waits on the queue while the breaker is open (SQS allows at most 900).
COUNTRIES_DEFER_SECONDS = env_int("COUNTRIES_DEFER_SECONDS", 30)
# Deadlines of a fetch request in flight (the sweep, `requeue_pending_fetches` every minute, moves on
# what is past them): seconds it may wait queued or retrying before its message is sent again,
# seconds a worker's claim lasts (a function lives 29 s), and how many sends it gets before it fails.
COUNTRIES_QUEUED_SECONDS = env_int("COUNTRIES_QUEUED_SECONDS", 300)
COUNTRIES_CLAIM_SECONDS = env_int("COUNTRIES_CLAIM_SECONDS", 30)
COUNTRIES_MAX_SENDS = env_int("COUNTRIES_MAX_SENDS", 5)
# Optional DAX cluster in front of the documents table (off by default; countries/dax.py).
COUNTRIES_DAX_ENDPOINT = env_str("COUNTRIES_DAX_ENDPOINT", None)

# scraper (seed 003). MOVIES_PAGE_URL above is the seed's SCRAP_URL: the page the schedule scrapes
# (no default on Lambda: the workshop's page was handed out per course), for SCRAPER_SCHEDULE_USER.
SCRAPER_SCHEDULE_USER = env_str("SCRAPER_SCHEDULE_USER", "demo" if ON_LAPTOP else None)
# Pages larger than this are refused (bytes); the 10,000-row sandbox page is about 1.4 MB.
SCRAPER_MAX_PAGE_BYTES = env_int("SCRAPER_MAX_PAGE_BYTES", 8 * 1024 * 1024)
# Networks a scrape may reach besides public addresses. Private, loopback and link-local addresses
# are refused on Lambda (server-side request forgery); the laptop stages reach everything.
SCRAPER_ALLOWED_NETWORKS = env_list("SCRAPER_ALLOWED_NETWORKS", ["0.0.0.0/0", "::/0"] if ON_LAPTOP else [])
# Deadlines of a scrape in flight (`sweep_scrapes`, every minute, moves on what is past them): seconds
# a run may wait queued, fetch or send (a function lives 29 s) before it is started again, seconds a
# storing run may go without a row counted before it is finished from what the table holds, and how
# many times a run is started again before it fails with the reason.
SCRAPER_QUEUED_SECONDS = env_int("SCRAPER_QUEUED_SECONDS", 300)
SCRAPER_RUNNING_SECONDS = env_int("SCRAPER_RUNNING_SECONDS", 300)
SCRAPER_STORING_SECONDS = env_int("SCRAPER_STORING_SECONDS", 300)
SCRAPER_MAX_RESTARTS = env_int("SCRAPER_MAX_RESTARTS", 3)
# Scrapes a user may have queued or running at once (more answer 429).
SCRAPER_MAX_ACTIVE_RUNS = env_int("SCRAPER_MAX_ACTIVE_RUNS", 3)

# tracker (seed 000). Twilio's account and sender: the sandbox's on the laptop; on Lambda they are
# secrets (SSM) with no default, and a text sent without them fails with a reason on the order.
_SANDBOX_TWILIO_SID = "AC00000000000000000000000000sandbox"
TWILIO_ACCOUNT_SID = env_str("TWILIO_ACCOUNT_SID", _SANDBOX_TWILIO_SID if ON_LAPTOP else None)
TWILIO_AUTH_TOKEN = env_str("TWILIO_AUTH_TOKEN", "sandbox-auth-token" if ON_LAPTOP else None)
TWILIO_FROM_NUMBER = env_str("TWILIO_FROM_NUMBER", "+15005550006" if ON_LAPTOP else None)
# Orders polled at once (one shared HTTP session), and the tracker's read timeout in seconds.
TRACKER_POLL_WORKERS = env_int("TRACKER_POLL_WORKERS", 50)
TRACKER_TIMEOUT_SECONDS = env_int("TRACKER_TIMEOUT_SECONDS", 5)
# Tracking stops after this many failed polls in a row, or this many minutes after it started.
TRACKER_MAX_FAILED_POLLS = env_int("TRACKER_MAX_FAILED_POLLS", 5)
# A poll run's own deadline in seconds (it fires every minute; an invocation's earlier deadline
# wins: core.deadlines), and the most orders one run polls before the rest are fanned out in
# shards over the poll-shards queue (poll_orders --help). 100: even when every tracker hangs
# (2 x TRACKER_TIMEOUT_SECONDS + backoff a poll), 50 workers poll a shard in two rounds, ~21 s,
# inside a 29 s invocation (bench/README.md).
TRACKER_POLL_SECONDS = env_int("TRACKER_POLL_SECONDS", 50)
TRACKER_POLL_SHARD_SIZE = env_int("TRACKER_POLL_SHARD_SIZE", 100)
TRACKER_MAX_MINUTES = env_int("TRACKER_MAX_MINUTES", 180)
# Orders one user may track at once.
TRACKER_MAX_ACTIVE_ORDERS = env_int("TRACKER_MAX_ACTIVE_ORDERS", 10)
# A text claim still "sending" after this many seconds belongs to a run that died before Twilio
# answered (a function lives 29 s): the next poll run asks Twilio what happened to it.
TRACKER_TEXT_SEND_SECONDS = env_int("TRACKER_TEXT_SEND_SECONDS", 120)
# The sandbox tracker (laptop only): seconds a new sandbox order takes from placed to completed,
# how long it hangs when told to, and a delay before every answer (the benchmark's 100 ms).
TRACKER_SANDBOX_WALK_SECONDS = env_int("TRACKER_SANDBOX_WALK_SECONDS", 240)
TRACKER_SANDBOX_HANG_SECONDS = env_int("TRACKER_SANDBOX_HANG_SECONDS", 30)
TRACKER_SANDBOX_DELAY_MS = env_int("TRACKER_SANDBOX_DELAY_MS", 0)
# prices (seed 002): the dataset's path under NY_OPEN_DATA_BASE_URL, the rows a fetch asks for
# when none is stored yet (the whole history is ~800), how alerts reach people ("email": SNS email
# subscriptions; "outbox": an SQS queue per subscription, shown at /sandbox/prices/outbox/), the
# address alerts link to (required on Lambda: no request there), and subscriptions per user.
PRICES_DATASET_PATH = env_str("PRICES_DATASET_PATH", "/resource/wuxr-ni2i.json")
PRICES_FETCH_LIMIT = env_int("PRICES_FETCH_LIMIT", 1000)
# A weekly fetch still "running" this many seconds after it started was interrupted (a function lives
# 29 s): `sweep_price_fetches` ends it with the reason; the next fetch asks for the same weeks again.
PRICES_FETCH_SECONDS = env_int("PRICES_FETCH_SECONDS", 600)
PRICES_EMAIL_DELIVERY = env_choice(
    "PRICES_EMAIL_DELIVERY", "outbox" if ON_LAPTOP else "email", ("email", "outbox")
)
PRICES_SITE_URL = env_str("PRICES_SITE_URL", None)
PRICES_MAX_SUBSCRIPTIONS = env_int("PRICES_MAX_SUBSCRIPTIONS", 10)

# The Lambda entry point (config/lambda_entry.py, config/events.py) runs only what is listed:
# management commands a `{"manage": ...}` event or a schedule may run, besides the commands the
# schedules of zappa_settings.json name (always allowed) -- the operations a deploy needs. Not
# clearsessions: django.contrib.sessions is not installed (sessions are DynamoDB items that the
# table's TTL deletes, core/sessions.py), so the command does not exist...
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
    "DEFAULT_PAGINATION_CLASS": "core.strict.StrictPageNumberPagination",  # ?page=x is a 404
    "PAGE_SIZE": env_int("API_PAGE_SIZE", 20),
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    # drf-spectacular's AutoSchema, imported only when a schema is built (config/schema.py).
    "DEFAULT_SCHEMA_CLASS": "config.schema.AutoSchema",
    # Services' ValidationError -> 400 with field errors, DoesNotExist -> 404 (core/api_errors.py).
    "EXCEPTION_HANDLER": "core.api_errors.exception_handler",
    # Every write is throttled per user in the shared cache: 429 with a JSON body (core/throttling.py).
    "DEFAULT_THROTTLE_CLASSES": ["core.throttling.WriteThrottle"],
    # The browsable API links only GET-able extra actions and shows `code` spans (core/renderers.py).
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "core.renderers.BrowsableAPIRenderer",
    ],
    "VIEW_DESCRIPTION_FUNCTION": "core.renderers.view_description",
    # DRF's JSON parser with a depth limit: a body nested too deeply is a JSON 400 (core/parsers.py).
    "DEFAULT_PARSER_CLASSES": [
        "core.parsers.JSONParser",
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
    # One name for a choice set used by several fields.
    "ENUM_NAME_OVERRIDES": {"PriceRegionEnum": "prices.regions.CHOICES"},
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # The API's contract is JSON (the browsable API's forms still post form data).
    "PARSER_WHITELIST": ["core.parsers.JSONParser"],
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
