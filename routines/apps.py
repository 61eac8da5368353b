from django.apps import AppConfig

from core.resources import Queue


class RoutinesConfig(AppConfig):
    name = "routines"
    verbose_name = "Routines"
    # Where the routine-days stream's records go when archiving them keeps failing (see
    # sync_event_sources and the local runner): a person can read and replay them from there.
    aws_resources = [Queue("routine-days-dlq", dead_letter=False)]

    def restore_hot_items(self) -> str:
        """Rebuild the day items in DynamoDB from the archive (``manage.py restore_hot_items``)."""
        from routines.services import routine_days_restore

        return f"{routine_days_restore()} routine days restored from the archive"
