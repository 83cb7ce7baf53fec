"""``python manage.py seed_demo``: the demo data, safe to run again and again."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from accounts.models import User
from companies.models import Company, CompanyMembership, Contact
from delegations.models import Application, ApplicationStatusChange
from demo.seed import DATA_PATH, DEMO_LOGINS, DEMO_PASSWORD, seed_demo
from meetings.models import (
    Counterpart,
    Meeting,
    MeetingGrid,
    MeetingRequest,
    MeetingSlot,
    Unavailability,
)
from missions.models import Mission, MissionStatusChange, ProgrammeItem, Sector
from reports.models import MissionReport, ReportStatusChange

# What the summary counts, in the order a reader meets them.
SUMMARY_MODELS = [
    Sector,
    User,
    Company,
    CompanyMembership,
    Contact,
    Mission,
    MissionStatusChange,
    ProgrammeItem,
    MissionReport,
    ReportStatusChange,
    Application,
    ApplicationStatusChange,
    Counterpart,
    MeetingGrid,
    MeetingSlot,
    Unavailability,
    MeetingRequest,
    Meeting,
]


class Command(BaseCommand):
    help = (
        "Load the demo: the City of Marseille's 2019 trade missions, generated companies, "
        "applications and B2B meetings, upcoming missions and four demo logins. "
        "Running it again creates nothing and changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--quiet", action="store_true", help="Print the logins only, not the counts."
        )

    def handle(self, *args, quiet: bool = False, **options):
        result = seed_demo(today=timezone.localdate())
        if not quiet:
            self.stdout.write(f"Demo data from {DATA_PATH.name}:")
            self.stdout.write(f"  {'model':<26} {'total':>6} {'created':>8} {'updated':>8}")
            for model in SUMMARY_MODELS:
                self.stdout.write(
                    f"  {model.__name__:<26} {model._default_manager.count():>6} "
                    f"{result.created[model]:>8} {result.updated[model]:>8}"
                )
            if not result.created and not result.updated:
                self.stdout.write("Nothing to do: the demo data was already there.")
            self.stdout.write("")
        self.stdout.write(self.style.SUCCESS("Demo logins:"))
        width = max(len(role) for role, _email in DEMO_LOGINS)
        self.stdout.write(f"  {'role':<{width}}  {'email':<30}  password")
        for role, email in DEMO_LOGINS:
            self.stdout.write(f"  {role:<{width}}  {email:<30}  {DEMO_PASSWORD}")
