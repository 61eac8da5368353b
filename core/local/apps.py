from django.apps import AppConfig


class LocalConfig(AppConfig):
    """The embedded world of the laptop: emulator, event runner, devserver (installed on local/test only)."""

    name = "core.local"
    label = "local"
    verbose_name = "Local emulation"
