from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from scraper import services
from scraper.models import ScrapeRun


class Command(BaseCommand):
    help = "Scrape a movies page now: fetch it, read its rows and put them on the movie stream."

    def add_arguments(self, parser):
        parser.add_argument("--url", help="The page (default: MOVIES_PAGE_URL).")
        parser.add_argument(
            "--user", help="Who owns the run and its movies (default: SCRAPER_SCHEDULE_USER)."
        )
        parser.add_argument(
            "--scheduled",
            action="store_true",
            help="Run by the schedule: skip quietly when MOVIES_PAGE_URL or SCRAPER_SCHEDULE_USER is unset.",
        )

    def handle(self, *args, **options):
        url = options["url"] or settings.MOVIES_PAGE_URL
        username = options["user"] or settings.SCRAPER_SCHEDULE_USER
        if options["scheduled"] and not (url and username):
            return "Scheduled scrape skipped: set MOVIES_PAGE_URL and SCRAPER_SCHEDULE_USER to run it."
        if not username:
            raise CommandError("Name the user who owns the run: --user NAME (or set SCRAPER_SCHEDULE_USER).")
        owner = get_user_model().objects.filter(username=username).first()
        if owner is None:
            raise CommandError(f"No user named {username!r}.")
        trigger = ScrapeRun.Trigger.SCHEDULE if options["scheduled"] else ScrapeRun.Trigger.COMMAND
        try:
            run = services.scrape_run_create(owner=owner, url=url, trigger=trigger)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        except services.TooManyScrapes as exc:
            raise CommandError(str(exc)) from exc
        done = services.scrape_run_execute(run_id=run.pk)
        if done is None:
            raise CommandError(f"Scrape {run.pk} was taken by another worker first.")
        if done.status == ScrapeRun.Status.FAILED:
            raise CommandError(f"Scrape {done.pk} of {url} failed: {done.failure}")
        run = done
        return (
            f"Scrape {run.pk} of {url}: {run.rows_seen} rows seen, {run.rows_sent} sent to the movie stream, "
            f"{run.rows_unsent} unsent; the stream's consumer stores them."
        )
