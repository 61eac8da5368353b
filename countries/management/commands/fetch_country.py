from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from countries import services
from countries.models import FetchRequest


class Command(BaseCommand):
    help = "Queue a fetch of a country from REST Countries (as GET /fetch-data/<code>/ does)."

    def add_arguments(self, parser):
        parser.add_argument("codes", nargs="+", metavar="CODE", help="ISO 3166-1 alpha-2 codes, e.g. PY BR.")
        parser.add_argument("--user", help="Whose requests they are (default: nobody's).")

    def handle(self, *args, **options):
        owner = None
        if options["user"]:
            owner = get_user_model().objects.filter(username=options["user"]).first()
            if owner is None:
                raise CommandError(f"No user named {options['user']!r}.")
        lines = []
        for code in options["codes"]:
            try:
                fetch = services.fetch_request_create(
                    code=code, owner=owner, trigger=FetchRequest.Trigger.COMMAND
                )
            except ValidationError as exc:
                raise CommandError(" ".join(exc.messages)) from exc
            except (services.TooManyFetches, services.StoreUnavailable) as exc:
                raise CommandError(str(exc)) from exc
            lines.append(f"Fetch {fetch.pk} of {fetch.code}: {fetch.status}")
            self.stdout.write(lines[-1])
        return f"{len(lines)} fetch{'es' if len(lines) != 1 else ''} recorded."
