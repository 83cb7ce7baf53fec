from django.apps import AppConfig


class DemoConfig(AppConfig):
    """``python manage.py seed_demo``: the City of Marseille's 2019 programme and more."""

    name = "demo"
    verbose_name = "Demo data"
