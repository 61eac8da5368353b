from django.core.management.base import BaseCommand

from routines.services import routine_reminders_send


class Command(BaseCommand):
    help = "Send the routines' reminders whose time has come (once a day each, only if not done yet)."

    def handle(self, *args, **options):
        return routine_reminders_send().summary()
