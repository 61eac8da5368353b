import json
from collections import Counter
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from core.deploy.template import TemplateError, stage_template


class Command(BaseCommand):
    help = (
        "Write the CloudFormation template of a stage (functions from the zip, tables, queues, topics, streams, "
        "key, event-source mappings, schedules, API, log groups) for deploying without Zappa."
    )

    def add_arguments(self, parser):
        parser.add_argument("--stage", required=True, help="The stage of zappa_settings.json (e.g. prod).")
        parser.add_argument(
            "-o",
            "--output",
            help="The file to write (its zip is build/<stage>.zip beside it); default: stdout.",
        )
        parser.add_argument(
            "--create-role",
            action="store_true",
            help="Create the functions' role with core.deploy.iam's policy instead of taking an existing one.",
        )

    def handle(self, *args, stage, output, create_role, **options):
        zip_path = Path(output).with_name(f"{stage}.zip") if output else None
        try:
            template = stage_template(stage=stage, create_role=create_role, zip_path=zip_path)
        except TemplateError as exc:
            raise CommandError(str(exc)) from exc
        text = json.dumps(template, indent=2) + "\n"
        if not output:
            self.stdout.write(text, ending="")
            return None
        path = Path(output)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
        kinds = Counter(r["Type"].split("::", 1)[1] for r in template["Resources"].values())
        counted = ", ".join(f"{n} {kind}" for kind, n in sorted(kinds.items()))
        return f"Wrote {path}: {len(template['Resources'])} resources ({counted})."
