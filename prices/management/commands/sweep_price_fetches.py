from django.core.management.base import BaseCommand

from prices import services


class Command(BaseCommand):
    help = "End every weekly price fetch still running past its deadline as failed, with the reason."

    def handle(self, *args, **options):
        ended = services.price_fetches_sweep()
        return f"Ended {ended} interrupted price fetch{'' if ended == 1 else 'es'}."
