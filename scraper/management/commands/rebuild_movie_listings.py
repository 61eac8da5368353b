from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from scraper import services


class Command(BaseCommand):
    help = "List again the movies DynamoDB holds (one Query per owner): for movies stored before the listing."

    def add_arguments(self, parser):
        parser.add_argument("--user", help="Only this user's movies (default: everybody who ran a scrape).")

    def handle(self, *args, **options):
        users = get_user_model().objects.filter(scrape_runs__isnull=False).distinct()
        if options["user"]:
            users = get_user_model().objects.filter(username=options["user"])
            if not users.exists():
                raise CommandError(f"No user named {options['user']!r}.")
        listed = [services.movie_listings_rebuild(owner=user) for user in users]
        return f"Listed {sum(listed)} movies of {len(listed)} users."
