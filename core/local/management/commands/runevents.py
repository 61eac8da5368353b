import signal

from django.core.management.base import BaseCommand, CommandError

from core.local.runner import EventRunner, RunnerError


class Command(BaseCommand):
    help = "Run zappa_settings.json's schedules and queue/stream event sources against the local AWS."

    def add_arguments(self, parser):
        parser.add_argument("--stage", default="dev", help="The zappa_settings.json stage whose events run.")
        parser.add_argument(
            "--once", action="store_true", help="Run one tick (due schedules, one poll) and exit."
        )
        parser.add_argument("--interval", type=float, default=1.0, help="Seconds between ticks.")

    def handle(self, *args, stage, once, interval, **options):
        try:
            runner = EventRunner(stage=stage, stdout=self.stdout)
        except RunnerError as exc:
            raise CommandError(str(exc)) from exc
        for line in runner.describe():
            self.stdout.write(line)
        if once:
            return f"One tick: {runner.tick()} invocations."
        signal.signal(signal.SIGTERM, signal.default_int_handler)  # SIGTERM drains like Ctrl-C
        try:
            runner.run(interval=interval)
        except KeyboardInterrupt:  # Ctrl-C: catch up with what is waiting before exiting
            return f"Event runner stopped, {runner.drain()}."
        return "Event runner stopped."
