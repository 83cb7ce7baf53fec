import datetime
import io
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.test import RequestFactory
from django.utils import timezone
from stdnum.fr import siret

from accounts.models import User
from accounts.rules import role_of
from companies.models import Company, CompanyMembership, Contact
from delegations.enums import ApplicationStatus
from delegations.models import Application, ApplicationStatusChange
from demo import seed
from meetings.enums import MeetingStatus
from meetings.models import (
    Counterpart,
    Meeting,
    MeetingGrid,
    MeetingRequest,
    MeetingSlot,
    Unavailability,
)
from missions.enums import MissionStatus, ProgrammeItemKind
from missions.models import Mission, MissionStatusChange, ProgrammeItem, Sector
from missions.selectors import missions_open_for_applications
from notifications.models import OutboundEmail
from reports.enums import ReportStatus
from reports.models import MissionReport, ReportStatusChange
from reports.selectors import reports_awaiting_review

pytestmark = pytest.mark.django_db

TORONTO = ZoneInfo("America/Toronto")
PORTAL_APPS = ("accounts", "missions", "companies", "delegations", "notifications", "campaigns")

EXPECTED_COUNTS = {
    Sector: 12,
    Group: 2,
    User: 10,
    Company: 45,
    CompanyMembership: 5,
    Contact: 53,
    Mission: 9,
    MissionStatusChange: 40,
    ProgrammeItem: 7,
    MissionReport: 5,
    ReportStatusChange: 9,
    Application: 82,
    ApplicationStatusChange: 291,
    # Toronto's and Tokyo's B2B meetings.
    Counterpart: 29,
    MeetingGrid: 2,
    MeetingSlot: 48,
    Unavailability: 20,
    MeetingRequest: 115,
    Meeting: 96,
    OutboundEmail: 0,
}


def run_seed() -> str:
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def snapshot() -> dict:
    """Every row of the portal's apps, many-to-many tables included, and the groups."""
    models = [Group, Group.permissions.through] + [
        model
        for label in PORTAL_APPS
        for model in apps.get_app_config(label).get_models(include_auto_created=True)
    ]
    return {
        model._meta.label: list(model._default_manager.order_by("pk").values()) for model in models
    }


def test_seed_demo_twice_creates_exact_counts_and_changes_nothing():
    run_seed()
    first = snapshot()
    output = run_seed()

    assert snapshot() == first
    assert "Nothing to do" in output
    assert {model: model._default_manager.count() for model in EXPECTED_COUNTS} == (
        EXPECTED_COUNTS
    )


def test_seed_demo_prints_logins_with_the_shared_password():
    output = run_seed()

    for email in (
        "admin@marseille.example",
        "staff@marseille.example",
        "elu@marseille.example",
        "entreprise@transpare.example",
    ):
        assert email in output
    assert output.count("Marseille-2019") == 4


@pytest.mark.parametrize(
    ("email", "role", "language"),
    [
        ("admin@marseille.example", "staff", "en"),
        ("staff@marseille.example", "staff", "fr"),
        ("elu@marseille.example", "official", "fr"),
        ("entreprise@transpare.example", "company", "fr"),
    ],
)
def test_seed_demo_logins_authenticate(email, role, language):
    run_seed()
    request = RequestFactory().post("/")

    user = authenticate(request=request, username=email, password=seed.DEMO_PASSWORD)

    assert user is not None
    assert user.email == email
    assert role_of(user) == role
    assert user.language == language


def test_seed_demo_roles_and_admin_rights():
    run_seed()

    admin = User.objects.get(email="admin@marseille.example")
    staff = User.objects.get(email="staff@marseille.example")
    official = User.objects.get(email="elu@marseille.example")
    member = User.objects.get(email="entreprise@transpare.example")
    assert (admin.is_superuser, admin.is_staff) == (True, True)
    assert (staff.is_superuser, staff.is_staff) == (False, True)
    assert staff.has_perm("missions.change_mission")
    assert staff.has_perm("notifications.view_outboundemail")
    assert not official.is_staff
    assert official.get_full_name() == "Didier Parakian"
    assert member.membership.company.name == "Transpare"
    assert member.get_full_name() == "Ali Messoudi"


def test_seed_demo_sectors_and_2019_missions():
    run_seed()

    assert Sector.objects.filter(is_excellence=True).count() == 6
    assert set(Sector.objects.values_list("code", flat=True)) == {
        "maritime", "health", "tourism", "digital", "aero", "energy",
        "icc", "blue", "audiovisual", "biotech", "artdevivre", "agrifood",
    }  # fmt: skip
    statuses = dict(Mission.objects.filter(slug__endswith="-2019").values_list("slug", "status"))
    assert statuses == {
        "austin-south-by-southwest-sxsw-2019": MissionStatus.REPORTED,
        "maroc-tanger-et-casablanca-2019": MissionStatus.REPORTED,
        "canada-toronto-et-montreal-2019": MissionStatus.REPORTED,
        "israel-tel-aviv-haifa-jerusalem-dld-tel-aviv-2019": MissionStatus.COMPLETED,
        "japon-tokyo-kobe-kyoto-2019": MissionStatus.COMPLETED,
        "focus-london-2019": MissionStatus.DRAFT,
    }
    london = Mission.objects.get(slug="focus-london-2019")
    assert (london.start_date, london.end_date) == (None, None)
    for mission in Mission.objects.all():
        assert len(mission.summary) <= 300
        # The status history ends on the current status.
        assert mission.status_changes.order_by("changed_at", "pk").last().to_status == (
            mission.status
        )


def test_seed_demo_canada_2019_delegation_programme_and_officials():
    run_seed()
    canada = Mission.objects.get(slug="canada-toronto-et-montreal-2019")

    confirmed = canada.applications.filter(status=ApplicationStatus.CONFIRMED)
    assert confirmed.count() == 30
    assert {"Transpare", "Protecto"} <= set(confirmed.values_list("company__name", flat=True))
    assert canada.capacity == 30
    assert sorted(official.get_full_name() for official in canada.officials.all()) == [
        "Didier Parakian",
        "Dominique Vlasto",
        "Roland Blum",
    ]
    b2b = canada.programme.filter(kind=ProgrammeItemKind.B2B).order_by("starts_at")
    assert [
        (item.starts_at.astimezone(TORONTO), item.ends_at.astimezone(TORONTO)) for item in b2b
    ] == [
        (
            datetime.datetime(2019, 7, 8, 9, tzinfo=TORONTO),
            datetime.datetime(2019, 7, 8, 17, tzinfo=TORONTO),
        ),
        (
            datetime.datetime(2019, 7, 9, 9, tzinfo=TORONTO),
            datetime.datetime(2019, 7, 9, 17, tzinfo=TORONTO),
        ),
    ]
    assert canada.report.status == ReportStatus.APPROVED


def test_seed_demo_canada_2019_meeting_grid_and_meetings_are_consistent():
    run_seed()
    canada = Mission.objects.get(slug="canada-toronto-et-montreal-2019")
    grid = canada.meeting_grid

    assert (grid.tables, grid.slot_minutes) == (10, 30)
    local_starts = [slot.starts_at.astimezone(TORONTO) for slot in grid.slots.all()]
    assert {start.date() for start in local_starts} == {
        datetime.date(2019, 7, 8),
        datetime.date(2019, 7, 9),
    }
    assert sorted({start.strftime("%H:%M") for start in local_starts}) == [
        "09:00", "09:30", "10:00", "10:30", "11:00", "11:30",
        "14:00", "14:30", "15:00", "15:30", "16:00", "16:30",
    ]  # fmt: skip
    assert canada.counterparts.count() == 20
    assert set(canada.counterparts.values_list("language", flat=True)) == {"en", "fr"}
    meetings = Meeting.objects.filter(slot__grid=grid)
    assert meetings.count() == 71
    assert meetings.filter(status=MeetingStatus.HELD).exclude(company_rating=None).exists()
    for meeting in meetings:
        assert 1 <= meeting.table <= 10
        assert meeting.request.status == "scheduled"
        assert meeting.application_id == meeting.request.application_id
        assert meeting.counterpart_id == meeting.request.counterpart_id
        assert not Unavailability.objects.filter(
            slot=meeting.slot, application=meeting.application
        ).exists()
        assert not Unavailability.objects.filter(
            slot=meeting.slot, counterpart=meeting.counterpart
        ).exists()
    transpare = canada.applications.get(company__name="Transpare")
    assert meetings.filter(application=transpare).count() == 3


def test_seed_demo_japan_2019_report_awaits_the_officials_review():
    run_seed()
    japan = Mission.objects.get(slug="japon-tokyo-kobe-kyoto-2019")

    confirmed = japan.applications.filter(status=ApplicationStatus.CONFIRMED)
    assert confirmed.count() == 10
    assert {"Provence TLC", "Vworld", "Ciacam"} <= set(
        confirmed.values_list("company__name", flat=True)
    )
    assert list(reports_awaiting_review()) == [japan.report]
    assert japan.report.status == ReportStatus.SUBMITTED


def test_seed_demo_upcoming_missions_follow_today():
    run_seed()
    today = timezone.localdate()

    open_missions = list(missions_open_for_applications())
    assert [mission.slug for mission in open_missions] == [
        "canada-toronto-montreal-prochaine-mission"
    ]
    upcoming = open_missions[0]
    assert timezone.localtime(upcoming.application_deadline).date() == (
        today + datetime.timedelta(days=30)
    )
    assert upcoming.start_date > today
    assert upcoming.title == f"Canada — Toronto et Montréal {upcoming.start_date.year}"
    assert set(upcoming.applications.values_list("status", flat=True)) == {
        ApplicationStatus.DRAFT,
        ApplicationStatus.SUBMITTED,
    }
    assert Mission.objects.get(slug="israel-dld-tel-aviv-prochaine-mission").status == (
        MissionStatus.SELECTION
    )
    assert Mission.objects.get(slug="coree-du-sud-seoul-busan").status == MissionStatus.DRAFT


def test_seed_demo_companies_have_valid_sirets_and_contacts():
    run_seed()

    assert Company.objects.count() == 45
    assert all(
        siret.is_valid(number) for number in Company.objects.values_list("siret", flat=True)
    )
    assert Company.objects.filter(verified=False).count() == 4
    for name in ("Transpare", "Protecto", "Provence TLC", "Vworld", "Ciacam"):
        company = Company.objects.get(name=name)
        assert company.contacts.count() == 1
        assert company.memberships.get().user.email == company.contacts.get().email
    assert not Contact.objects.exclude(email__endswith=".example").exists()
    assert not Counterpart.objects.exclude(email__endswith=".example").exists()


def test_seed_demo_sends_no_email():
    run_seed()

    assert OutboundEmail.objects.count() == 0


def test_seed_demo_reads_only_the_project_copy_of_the_data(monkeypatch):
    base_dir = Path(settings.BASE_DIR).resolve()
    shared = (base_dir.parent / "shared").resolve()
    opened = []
    real_open = io.open

    def spy(file, *args, **kwargs):
        if isinstance(file, str | Path):
            opened.append(Path(file).resolve())
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(io, "open", spy)
    run_seed()

    assert seed.DATA_PATH.is_relative_to(base_dir)
    assert not seed.DATA_PATH.is_relative_to(shared)
    assert seed.DATA_PATH.is_file()
    assert seed.DATA_PATH in opened
    assert not [path for path in opened if path.is_relative_to(shared)]


def test_every_mission_that_took_place_has_its_budgets_and_its_report_its_costs():
    from reports.kpis import mission_kpis

    run_seed()
    past = list(Mission.objects.filter(status__in=[MissionStatus.COMPLETED, "reported"]))

    assert len(past) == 5
    assert all(m.budget_planned and m.budget_actual for m in past)
    kpis = mission_kpis(past)
    assert all(kpis[m.pk].cost_per_company for m in past)
    # The official's first report (Tokyo, awaiting review) and Canada's count meetings.
    for title in ("Canada", "Japon"):
        mission = next(m for m in past if m.title.startswith(title))
        assert kpis[mission.pk].meetings_held > 5
        assert kpis[mission.pk].cost_per_meeting_held
