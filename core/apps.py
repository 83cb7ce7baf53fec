from django.apps import AppConfig


class CoreConfig(AppConfig):
    """The shared kernel: what every app below the project may use (see README)."""

    name = "core"
    verbose_name = "Core"
