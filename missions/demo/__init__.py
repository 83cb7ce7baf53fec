"""Demo data for ``python manage.py seed_demo``: see ``missions.demo.seed``."""
