"""The first admin of a deployed stage, without a terminal on Lambda or network reach to its database.

``createsuperuser`` is interactive (refused on Lambda) and the desktop may not reach a private RDS.
This command runs on Lambda (allow-listed: ``zappa manage dev "create_admin --username alice --email
alice@example.com"``) and takes the password from an SSM SecureString the operator put beforehand,
``<SECRETS_SSM_PATH>admin/<username>`` (a sub-path: the cold start reads only the parameters directly
under ``SECRETS_SSM_PATH``, so the password never reaches the functions' environment). The parameter
is deleted once the admin exists: the password then lives only as its hash.
"""

import os

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from accounts.services import user_admin_create
from core.aws import client


def _parameter_name(username: str, given: str | None) -> str:
    if given:
        return given
    path = os.environ.get("SECRETS_SSM_PATH", "")  # the stage's (zappa_settings.json), read at cold start
    if not path:
        raise CommandError("No SECRETS_SSM_PATH on this stage: give --password-parameter.")
    return f"{path.rstrip('/')}/admin/{username}"


class Command(BaseCommand):
    help = (
        "Create a stage's first admin from a password kept in an SSM SecureString, then delete the parameter."
    )

    def add_arguments(self, parser):
        parser.add_argument("--username", required=True)
        parser.add_argument("--email", default="")
        parser.add_argument(
            "--password-parameter",
            help="The SSM SecureString holding the password (default: <SECRETS_SSM_PATH>admin/<username>).",
        )

    def handle(self, *args, username, email, password_parameter, **options):
        name = _parameter_name(username, password_parameter)
        ssm = client("ssm")
        try:
            parameter = ssm.get_parameter(Name=name, WithDecryption=True)["Parameter"]
        except ssm.exceptions.ParameterNotFound:
            raise CommandError(
                f"No SSM parameter {name}: put the password there first (SecureString)."
            ) from None
        if parameter.get("Type") != "SecureString":
            raise CommandError(
                f"SSM parameter {name} is a {parameter.get('Type')}: put the password as a SecureString."
            )
        try:
            user_admin_create(username=username, email=email, password=parameter["Value"])
        except ValidationError as exc:
            raise CommandError(f"Admin {username} not created: {' '.join(exc.messages)}") from exc
        ssm.delete_parameter(Name=name)
        return f"Created admin {username}; deleted the SSM parameter {name}."
