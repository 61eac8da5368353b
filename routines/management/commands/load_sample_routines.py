from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from routines.services import routine_samples_load


class Command(BaseCommand):
    help = (
        "Give a user the original app's four sample routines (Morning, Bedtime, Clean kitchen, Hand therapy)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--user", required=True, help="Username to load the routines for.")

    def handle(self, *args, **options):
        user = get_user_model().objects.filter(username=options["user"]).first()
        if user is None:
            raise CommandError(f"No user named {options['user']!r}.")
        return f"{routine_samples_load(owner=user).summary()[:-1]} for {user.username}."
