from django.core.management.base import BaseCommand

from scraper import services


class Command(BaseCommand):
    help = (
        "Move on every scrape past its deadline: start again the ones queued, fetching or sending for "
        "too long, finish the storing ones whose rows stopped arriving from what the table holds."
    )

    def handle(self, *args, **options):
        return services.scrape_runs_sweep().line()
