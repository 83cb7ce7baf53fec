"""The database itself refuses bad missions, programme items and reports.

Rows are written through the ORM without form validation (``create``,
``update``), so what is tested is the constraint in PostgreSQL, not a form.
"""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from core.dates import OutOfRangeDatesError
from missions.enums import MissionStatus
from missions.models import Mission, ProgrammeItem, Sector
from missions.tests.factories import MissionFactory, ProgrammeItemFactory, SectorFactory
from reports.enums import ReportStatus
from reports.models import MissionReport
from reports.tests.factories import MissionReportFactory

pytestmark = pytest.mark.django_db

START = datetime.date(2026, 9, 14)


def _update_mission(mission, **fields):
    return Mission.objects.filter(pk=mission.pk).update(**fields)


# Dates ---------------------------------------------------------------------


def test_mission_end_before_start_refused():
    mission = MissionFactory(start_date=START, end_date=START + datetime.timedelta(days=4))

    with pytest.raises(IntegrityError), transaction.atomic():
        _update_mission(mission, end_date=START - datetime.timedelta(days=1))

    mission.refresh_from_db()
    assert mission.end_date == datetime.date(2026, 9, 18)


def test_mission_end_before_start_refused_on_create():
    with pytest.raises(IntegrityError), transaction.atomic():
        MissionFactory(start_date=START, end_date=datetime.date(2026, 9, 13))

    assert Mission.objects.count() == 0


def test_mission_end_equal_to_start_accepted():
    mission = MissionFactory(start_date=START, end_date=START)

    mission.refresh_from_db()
    assert mission.start_date == datetime.date(2026, 9, 14)
    assert mission.end_date == datetime.date(2026, 9, 14)


def test_mission_dates_unknown_accepted():
    mission = MissionFactory(start_date=None, end_date=None)

    assert _update_mission(mission, end_date=START) == 1
    mission.refresh_from_db()
    assert mission.start_date is None
    assert mission.end_date == datetime.date(2026, 9, 14)


# Capacity --------------------------------------------------------------------


def test_mission_capacity_zero_refused():
    mission = MissionFactory(capacity=30)

    with pytest.raises(IntegrityError), transaction.atomic():
        _update_mission(mission, capacity=0)

    mission.refresh_from_db()
    assert mission.capacity == 30


def test_mission_capacity_negative_refused():
    mission = MissionFactory(capacity=30)

    with pytest.raises(IntegrityError), transaction.atomic():
        _update_mission(mission, capacity=-1)


def test_mission_capacity_one_accepted():
    mission = MissionFactory(capacity=1)

    mission.refresh_from_db()
    assert mission.capacity == 1


# Call for applications -------------------------------------------------------


def test_mission_deadline_before_opening_refused():
    opens = timezone.now()
    mission = MissionFactory(
        applications_open_at=opens, application_deadline=opens + datetime.timedelta(days=30)
    )

    with pytest.raises(IntegrityError), transaction.atomic():
        _update_mission(mission, application_deadline=opens - datetime.timedelta(minutes=1))


def test_mission_deadline_equal_to_opening_refused():
    opens = timezone.now()

    with pytest.raises(IntegrityError), transaction.atomic():
        MissionFactory(applications_open_at=opens, application_deadline=opens)

    assert Mission.objects.count() == 0


def test_mission_deadline_after_opening_accepted():
    opens = datetime.datetime(2026, 5, 1, 8, 0, tzinfo=datetime.UTC)
    mission = MissionFactory(
        applications_open_at=opens, application_deadline=opens + datetime.timedelta(seconds=1)
    )

    mission.refresh_from_db()
    assert mission.application_deadline == datetime.datetime(
        2026, 5, 1, 8, 0, 1, tzinfo=datetime.UTC
    )


# Budgets -------------------------------------------------------------------


@pytest.mark.parametrize("field", ["budget_planned", "budget_actual"])
def test_mission_budget_negative_refused(field):
    mission = MissionFactory(**{field: Decimal("1000.00")})

    with pytest.raises(IntegrityError), transaction.atomic():
        _update_mission(mission, **{field: Decimal("-0.01")})

    mission.refresh_from_db()
    assert getattr(mission, field) == Decimal("1000.00")


@pytest.mark.parametrize("field", ["budget_planned", "budget_actual"])
def test_mission_budget_zero_accepted(field):
    mission = MissionFactory(**{field: Decimal("0.00")})

    mission.refresh_from_db()
    assert getattr(mission, field) == Decimal("0.00")


# Status --------------------------------------------------------------------


def test_mission_status_unknown_refused():
    mission = MissionFactory(status=MissionStatus.DRAFT)

    with pytest.raises(IntegrityError), transaction.atomic():
        _update_mission(mission, status="archived")

    mission.refresh_from_db()
    assert mission.status == "draft"


@pytest.mark.parametrize("status", MissionStatus.values)
def test_mission_status_known_accepted(status):
    mission = MissionFactory()

    assert _update_mission(mission, status=status) == 1
    mission.refresh_from_db()
    assert mission.status == status


# Unique fields -----------------------------------------------------------------


def test_mission_slug_duplicate_refused():
    MissionFactory(slug="toronto-2026")

    with pytest.raises(IntegrityError), transaction.atomic():
        MissionFactory(slug="toronto-2026")

    assert Mission.objects.filter(slug="toronto-2026").count() == 1


def test_sector_code_duplicate_refused():
    SectorFactory(code="numerique")

    with pytest.raises(IntegrityError), transaction.atomic():
        Sector.objects.create(code="numerique", name_fr="Numérique", name_en="Digital")

    assert Sector.objects.filter(code="numerique").count() == 1


# Validators ----------------------------------------------------------------


def test_mission_full_clean_unknown_time_zone_invalid():
    mission = MissionFactory.build(timezone="Mars/Olympus")

    with pytest.raises(ValidationError) as error:
        mission.full_clean()

    assert list(error.value.message_dict) == ["timezone"]
    assert error.value.error_dict["timezone"][0].code == "unknown_time_zone"


def test_mission_full_clean_known_time_zone_valid():
    mission = MissionFactory.build(timezone="Asia/Tokyo")

    mission.full_clean()

    assert mission.zone.key == "Asia/Tokyo"


def test_mission_full_clean_end_before_start_invalid():
    mission = MissionFactory.build(start_date=START, end_date=datetime.date(2026, 9, 13))

    with pytest.raises(ValidationError) as error:
        mission.full_clean()

    assert error.value.message_dict == {
        NON_FIELD_ERRORS: ["La date de fin ne peut pas précéder la date de début."]
    }


def test_mission_full_clean_capacity_zero_invalid():
    mission = MissionFactory.build(capacity=0)

    with pytest.raises(ValidationError) as error:
        mission.full_clean()

    assert "capacity" in error.value.message_dict


# Programme items -------------------------------------------------------------


def test_programme_item_end_before_start_refused():
    item = ProgrammeItemFactory()

    with pytest.raises(IntegrityError), transaction.atomic():
        ProgrammeItem.objects.filter(pk=item.pk).update(
            ends_at=item.starts_at - datetime.timedelta(minutes=1)
        )


def test_programme_item_end_equal_to_start_refused():
    starts = datetime.datetime(2026, 9, 14, 13, 0, tzinfo=datetime.UTC)

    with pytest.raises(IntegrityError), transaction.atomic():
        ProgrammeItemFactory(starts_at=starts, ends_at=starts)

    assert ProgrammeItem.objects.count() == 0


def test_programme_item_end_after_start_accepted():
    starts = datetime.datetime(2026, 9, 14, 13, 0, tzinfo=datetime.UTC)
    item = ProgrammeItemFactory(starts_at=starts, ends_at=starts + datetime.timedelta(minutes=1))

    item.refresh_from_db()
    assert item.ends_at == datetime.datetime(2026, 9, 14, 13, 1, tzinfo=datetime.UTC)


# Reports -------------------------------------------------------------------


def test_mission_report_status_unknown_refused():
    report = MissionReportFactory()

    with pytest.raises(IntegrityError), transaction.atomic():
        MissionReport.objects.filter(pk=report.pk).update(status="published")

    report.refresh_from_db()
    assert report.status == ReportStatus.DRAFT


def test_mission_report_second_for_mission_refused():
    report = MissionReportFactory()

    with pytest.raises(IntegrityError), transaction.atomic():
        MissionReport.objects.create(mission=report.mission, narrative="Again.")

    assert MissionReport.objects.filter(mission=report.mission).count() == 1


@pytest.mark.django_db(transaction=True)
def test_migration_names_the_missions_dated_out_of_range_and_stops():
    """A database from before the range: the migration says which rows to correct."""
    executor = MigrationExecutor(connection)
    executor.migrate([("missions", "0002_mission_version")])
    mission = MissionFactory.build(title="Typo", slug="typo")
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO missions_mission (title, slug, country, cities, timezone, start_date, "
            "end_date, capacity, status, partners, summary, description, objectives, "
            "created_at, updated_at, version) VALUES (%s, %s, 'CA', 'Toronto', "
            "'America/Toronto', '9999-12-30', '9999-12-31', 10, 'draft', '', '', '', '', "
            "now(), now(), 1) RETURNING id",
            [mission.title, mission.slug],
        )
        (pk,) = cursor.fetchone()

    executor = MigrationExecutor(connection)
    with pytest.raises(OutOfRangeDatesError) as error:
        executor.migrate([("missions", "0003_dates_in_range")])

    assert str(error.value) == (
        "missions.Mission: dates outside 2000–2100; correct them, then migrate again:\n"
        f"  #{pk} start_date=9999-12-30\n  #{pk} end_date=9999-12-31"
    )
    with connection.cursor() as cursor:  # the models of today do not fit this schema
        cursor.execute("DELETE FROM missions_mission WHERE id = %s", [pk])
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
