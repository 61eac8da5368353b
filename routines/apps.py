from django.apps import AppConfig

from core.resources import Queue


class RoutinesConfig(AppConfig):
    name = "routines"
    verbose_name = "Routines"
    # Where the routine-days stream's records go when archiving them keeps failing (see
    # sync_event_sources and the local runner): a person can read and replay them from there.
    aws_resources = [Queue("routine-days-dlq", dead_letter=False)]
