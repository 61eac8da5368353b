"""The tracker's settings: the environment with local defaults (config/settings.py merges them into
Django's settings through core.env.app_settings; read them as ``settings.TRACKER_...``)."""

from core.env import env_int, env_str, on_laptop

_laptop = on_laptop()

DOMINOS_TRACKER_BASE_URL = env_str("DOMINOS_TRACKER_BASE_URL", "https://api.dominos.com.my")
# On the laptop texts go to the tracker's Twilio stand-in (f"{SANDBOX_BASE_URL}/tracker/twilio").
TWILIO_BASE_URL = env_str("TWILIO_BASE_URL", None if _laptop else "https://api.twilio.com")
# Twilio's account and sender: the sandbox's on the laptop; on Lambda they are secrets (SSM) with
# no default, and a text sent without them fails with a reason on the order.
_SANDBOX_TWILIO_SID = "AC00000000000000000000000000sandbox"
TWILIO_ACCOUNT_SID = env_str("TWILIO_ACCOUNT_SID", _SANDBOX_TWILIO_SID if _laptop else None)
TWILIO_AUTH_TOKEN = env_str("TWILIO_AUTH_TOKEN", "sandbox-auth-token" if _laptop else None)
TWILIO_FROM_NUMBER = env_str("TWILIO_FROM_NUMBER", "+15005550006" if _laptop else None)
# Orders polled at once (one shared HTTP session), and the tracker's read timeout in seconds.
TRACKER_POLL_WORKERS = env_int("TRACKER_POLL_WORKERS", 50)
TRACKER_TIMEOUT_SECONDS = env_int("TRACKER_TIMEOUT_SECONDS", 5)
# Tracking stops after this many failed polls in a row, or this many minutes after it started.
TRACKER_MAX_FAILED_POLLS = env_int("TRACKER_MAX_FAILED_POLLS", 5)
# A poll run's own deadline in seconds (it fires every minute; an invocation's earlier deadline
# wins: core.aws.deadlines), and the most orders one run polls before the rest are fanned out in
# shards over the poll-shards queue (poll_orders --help). 100: even when every tracker hangs
# (2 x TRACKER_TIMEOUT_SECONDS + backoff a poll), 50 workers poll a shard in two rounds
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
