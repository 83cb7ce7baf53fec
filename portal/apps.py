from django.apps import AppConfig


class PortalConfig(AppConfig):
    """The project itself, as an app: for the checks that are about the whole of it."""

    name = "portal"
    verbose_name = "Portal"

    def ready(self):
        from portal import checks  # noqa: F401 (registers them)
