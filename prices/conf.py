"""The prices app's settings: the environment with local defaults (config/settings.py merges them
into Django's settings through core.env.app_settings; read them as ``settings.PRICES_...``)."""

from core.env import env_choice, env_int, env_str, on_laptop

_laptop = on_laptop()

# Unset on the laptop: the prices sandbox at f"{SANDBOX_BASE_URL}/prices", read when called.
NY_OPEN_DATA_BASE_URL = env_str("NY_OPEN_DATA_BASE_URL", None if _laptop else "https://data.ny.gov")
# The dataset's path under NY_OPEN_DATA_BASE_URL, the rows a fetch asks for when none is stored
# yet (the whole history is ~800), how alerts reach people ("email": SNS email subscriptions;
# "outbox": an SQS queue per subscription, shown at /sandbox/prices/outbox/), the address alerts
# link to (required on Lambda: no request there), and subscriptions per user.
PRICES_DATASET_PATH = env_str("PRICES_DATASET_PATH", "/resource/wuxr-ni2i.json")
PRICES_FETCH_LIMIT = env_int("PRICES_FETCH_LIMIT", 1000)
# A weekly fetch still "running" this many seconds after it started was interrupted (a function lives
# 29 s): `sweep_price_fetches` ends it with the reason; the next fetch asks for the same weeks again.
PRICES_FETCH_SECONDS = env_int("PRICES_FETCH_SECONDS", 600)
PRICES_EMAIL_DELIVERY = env_choice(
    "PRICES_EMAIL_DELIVERY", "outbox" if _laptop else "email", ("email", "outbox")
)
PRICES_SITE_URL = env_str("PRICES_SITE_URL", None)
PRICES_MAX_SUBSCRIPTIONS = env_int("PRICES_MAX_SUBSCRIPTIONS", 10)
