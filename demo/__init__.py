"""Demo data for ``python manage.py seed_demo``: see ``demo.seed``."""
