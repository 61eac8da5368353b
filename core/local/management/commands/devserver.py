import os
import signal
import subprocess

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.utils import autoreload
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV

from core.local import processes
from core.local.emulator import Emulator, real_aws_configured

# Set in the environment of the autoreloader's child so it knows the parent already set up AWS.
_READY_ENV = "DEVSERVER_AWS_READY"
# How long Ctrl-C / SIGTERM lets the event runner catch up (the parent waits 3 + 10 s for the child).
DRAIN_SECONDS = 8.0


class Command(BaseCommand):
    help = (
        "Start the whole product locally: the embedded AWS emulator (unless real AWS is configured), "
        "its tables/queues/streams, demo data, the local event runner and Django's development server."
    )

    def add_arguments(self, parser):
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000", help="Where to serve HTTP.")
        parser.add_argument("--noreload", action="store_true", help="Do not restart on code changes.")
        parser.add_argument("--no-events", action="store_true", help="Do not start the local event runner.")
        parser.add_argument("--demo", action="store_true", help="Load the demo user and sample data.")

    def handle(self, *args, **options):
        child_of_reloader = os.environ.get(DJANGO_AUTORELOAD_ENV) == "true"
        # The apps' upstream stand-ins are served by this server (settings.SANDBOX_BASE_URL).
        sandbox = f"{_base_url(options['addrport'])}/sandbox"
        if not child_of_reloader and os.environ.get("SANDBOX_BASE_URL") != sandbox:
            os.environ["SANDBOX_BASE_URL"] = sandbox
            settings.SANDBOX_BASE_URL = sandbox
        emulator = None
        # Turn SIGTERM (and Ctrl-Break on Windows) into the same clean shutdown as Ctrl-C.
        for sig in processes.termination_signals():
            signal.signal(sig, signal.default_int_handler)
        try:
            if not child_of_reloader:
                emulator = self._set_up_aws(options)
            if child_of_reloader or options["noreload"]:
                self._start_event_runner(options)
                try:
                    call_command(
                        "runserver",
                        options["addrport"],
                        use_reloader=not options["noreload"],
                        skip_checks=child_of_reloader,
                    )
                finally:  # Ctrl-C or SIGTERM: archive what was acknowledged before the emulator stops
                    self._drain_event_runner()
            else:
                self._serve_in_reloading_children()
        except KeyboardInterrupt:
            pass
        finally:
            if emulator is not None:
                emulator.stop()
                self.stdout.write("Embedded AWS stopped.")

    def _set_up_aws(self, options):
        emulator = None
        if os.environ.get(_READY_ENV):
            return None
        if real_aws_configured():
            where = os.environ.get("AWS_ENDPOINT_URL") or f"AWS ({settings.AWS_REGION})"
            self.stdout.write(f"Using {where}; the embedded emulator is not started.")
        else:
            self._forget_journal_of_a_deleted_database()
            emulator = Emulator(
                port=settings.LOCAL_AWS_PORT,
                region=settings.AWS_REGION,
                journal=settings.LOCAL_AWS_JOURNAL,
                fsync=settings.LOCAL_AWS_JOURNAL_FSYNC,
            )
            url = emulator.start()
            self.stdout.write(f"Embedded AWS (moto) on {url}")
            if emulator.journal:
                replayed, items = emulator.replayed
                self.stdout.write(
                    f"Its DynamoDB journal {emulator.journal}: {replayed} writes replayed, {items} items back"
                )
                self.stdout.write(
                    f"Its KMS keys, queues, topics and streams ({emulator.journal}.state): "
                    f"{emulator.kept} region backends back"
                )
        try:
            call_command("migrate", interactive=False, verbosity=0)
            call_command("provision", stdout=self.stdout)
            if emulator is not None:  # a new, empty emulator: bring back what the database archived
                call_command("restore_hot_items", stdout=self.stdout)
            if options["demo"]:
                call_command("load_demo", base_url=_base_url(options["addrport"]), stdout=self.stdout)
        except Exception as exc:
            if emulator is not None:
                emulator.stop()
            raise CommandError(f"Setting up the local stage failed: {exc}") from exc
        os.environ[_READY_ENV] = "1"
        return emulator

    def _forget_journal_of_a_deleted_database(self) -> None:
        """A journal outlives the SQLite file it went with: its days name routines and users whose ids
        a new database gives to others. Set it aside (never deleted) when the database is new."""
        journal = settings.LOCAL_AWS_JOURNAL
        database = settings.DATABASES["default"]
        if not journal or journal == "off" or "sqlite" not in database["ENGINE"]:
            return
        if os.path.exists(journal) and not os.path.exists(str(database["NAME"])):
            aside = f"{journal}.orphaned"
            os.replace(journal, aside)
            if os.path.exists(f"{journal}.state"):  # its queues name requests of the old database too
                os.replace(f"{journal}.state", f"{aside}.state")
            self.stdout.write(
                f"The database {database['NAME']} is new: its old DynamoDB journal is now {aside}."
            )

    def _serve_in_reloading_children(self) -> None:
        """Run the server in a child process and start a new one whenever code changes.

        Django's own reloader loop (``restart_with_reloader``) gives a child only 0.25 s to
        finish after Ctrl-C before killing it; the child here also stops the event runner, so
        this loop waits for it properly, and forwards Ctrl-C when only this process got it (on
        Windows always: the child runs in a process group of its own, the only thing Ctrl-Break
        can be sent to, so the console's Ctrl-C reaches this process alone).
        """
        args = autoreload.get_child_arguments()
        env = {**os.environ, DJANGO_AUTORELOAD_ENV: "true"}
        while True:
            child = subprocess.Popen(args, env=env, close_fds=False, **processes.child_options())
            try:
                code = child.wait()
            except KeyboardInterrupt:
                _stop_child(child)
                raise
            if code != 3:  # 3 means "code changed, start again"
                return

    def _start_event_runner(self, options):
        if options["no_events"]:
            return
        from core.local.runner import start_in_background

        start_in_background(stdout=self.stdout)

    def _drain_event_runner(self) -> None:
        from core.local.runner import drain_background

        # A second Ctrl-C (the reloading parent forwards one) must not cut the drain short.
        previous = {sig: signal.signal(sig, signal.SIG_IGN) for sig in processes.stop_signals()}
        try:
            line = drain_background(timeout=DRAIN_SECONDS)
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)
        if line:
            self.stdout.write(f"[events] {line}")


def _base_url(addrport: str) -> str:
    host, _, port = addrport.rpartition(":")
    return f"http://{host or '127.0.0.1'}:{port}"


def _stop_child(child: subprocess.Popen) -> None:
    """Let the child finish on the Ctrl-C its terminal also sent it; nudge it (Ctrl-C again, or
    Ctrl-Break on Windows), then force it (SIGKILL, or TerminateProcess on Windows)."""
    first_grace = 3 if processes.child_gets_ctrl_c() else 0
    steps = ((None, first_grace), (processes.interrupt, 10), (subprocess.Popen.kill, 5))
    for action, grace in steps:
        if action is not None:
            action(child)
        try:
            child.wait(timeout=grace)
            return
        except subprocess.TimeoutExpired:
            continue
