"""The scraper's settings: the environment with local defaults (config/settings.py merges them into
Django's settings through core.env.app_settings; read them as ``settings.SCRAPER_...``)."""

from core.env import env_int, env_list, env_str, on_laptop, sandbox_base_url

_laptop = on_laptop()

# The page the schedule scrapes (the seed's SCRAP_URL; no default on Lambda: the workshop's page was
# handed out per course), for SCRAPER_SCHEDULE_USER.
MOVIES_PAGE_URL = env_str("MOVIES_PAGE_URL", f"{sandbox_base_url()}/scraper/movies/" if _laptop else None)
SCRAPER_SCHEDULE_USER = env_str("SCRAPER_SCHEDULE_USER", "demo" if _laptop else None)
# Pages larger than this are refused (bytes); the 10,000-row sandbox page is about 1.4 MB.
SCRAPER_MAX_PAGE_BYTES = env_int("SCRAPER_MAX_PAGE_BYTES", 8 * 1024 * 1024)
# Networks a scrape may reach besides public addresses. Private, loopback and link-local addresses
# are refused on Lambda (server-side request forgery); the laptop stages reach everything.
SCRAPER_ALLOWED_NETWORKS = env_list("SCRAPER_ALLOWED_NETWORKS", ["0.0.0.0/0", "::/0"] if _laptop else [])
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
# Rows a CSV export of the movies holds at most (the first ones in the list's order).
SCRAPER_EXPORT_MAX_ROWS = env_int("SCRAPER_EXPORT_MAX_ROWS", 10_000)
