from django.core.management.base import BaseCommand

from scraper import services


class Command(BaseCommand):
    help = "Queue one scrape for every schedule due: the page each owner set, once per slot."

    def handle(self, *args, **options):
        return services.scrape_schedules_run().line()
