"""The countries app's settings: the environment with local defaults (config/settings.py merges
them into Django's settings through core.env.app_settings; read them as ``settings.COUNTRIES_...``)."""

from core.env import env_int, env_rate, env_str, on_laptop

# The upstream is REST_COUNTRIES_BASE_URL + COUNTRIES_UPSTREAM_PATH with the code appended: REST
# Countries retired its hosted v3.1 endpoint, so both stay configurable. On the laptop, unset ("")
# means the stand-in at SANDBOX_BASE_URL, read when a fetch runs (devserver sets SANDBOX_BASE_URL to
# the address it serves on after settings load).
REST_COUNTRIES_BASE_URL = env_str(
    "REST_COUNTRIES_BASE_URL", "" if on_laptop() else "https://restcountries.com"
)
COUNTRIES_UPSTREAM_PATH = env_str("COUNTRIES_UPSTREAM_PATH", "/v3.1/alpha/")
# The laptop shows flags from the countries sandbox (offline), not the documents' flagcdn.com images.
COUNTRIES_LOCAL_FLAGS = on_laptop()
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
# A stored country fetched longer ago than this is marked stale in the list of your countries
# (/countries/stored/, /api/countries/stored/), with a button to fetch it again.
COUNTRIES_STALE_AFTER_HOURS = env_int("COUNTRIES_STALE_AFTER_HOURS", 24 * 7)
