"""The mission services: create, edit with its version check, every transition, the
programme in destination time, duplicating a mission."""

import datetime
import itertools
import zoneinfo
from decimal import Decimal

import pytest
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils import timezone, translation

from core.zones import PARIS
from delegations.enums import ApplicationStatus
from delegations.tests.factories import ApplicationFactory
from missions.enums import MISSION_TRANSITIONS, MissionStatus
from missions.models import Mission, MissionStatusChange, ProgrammeItem
from missions.services import (
    MissionConflict,
    TransitionError,
    mission_create,
    mission_duplicate,
    mission_transition,
    mission_update,
    programme_item_delete,
    programme_item_save,
)
from missions.tests.factories import MissionFactory, ProgrammeItemFactory, SectorFactory
from reports.enums import ReportStatus
from reports.tests.factories import MissionReportFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _in_english():
    """Messages are asserted as written; French is the portal's default."""
    with translation.override("en"):
        yield


TORONTO = zoneinfo.ZoneInfo("America/Toronto")


def fields(**overrides):
    values = {
        "title": "Canada — Toronto et Montréal 2027",
        "country": "CA",
        "cities": "Toronto, Montréal",
        "timezone": "America/Toronto",
        "start_date": datetime.date(2027, 7, 8),
        "end_date": datetime.date(2027, 7, 12),
        "capacity": 30,
        "applications_open_at": datetime.datetime(2027, 3, 1, 9, 0, tzinfo=PARIS),
        "application_deadline": datetime.datetime(2027, 5, 15, 18, 0, tzinfo=PARIS),
    }
    return values | overrides


def errors_of(excinfo) -> dict:
    return {field: [e.code for e in errors] for field, errors in excinfo.value.error_dict.items()}


# Create ---------------------------------------------------------------------------------


def test_mission_create_saves_draft_with_slug_and_history(staff_user, official_user):
    sector = SectorFactory(code="numerique")

    mission = mission_create(
        by=staff_user, sectors=[sector], officials=[official_user], **fields()
    )

    assert mission.slug == "canada-toronto-et-montreal-2027"
    assert mission.status == MissionStatus.DRAFT
    assert mission.version == 1
    assert list(mission.sectors.all()) == [sector]
    assert list(mission.officials.all()) == [official_user]
    assert list(mission.status_changes.values_list("from_status", "to_status", "changed_by")) == [
        ("", "draft", staff_user.pk)
    ]


def test_mission_create_slug_taken_gets_suffix(staff_user):
    MissionFactory(slug="canada-2027")
    MissionFactory(slug="canada-2027-2")

    mission = mission_create(by=staff_user, **fields(title="Canada 2027"))

    assert mission.slug == "canada-2027-3"


@pytest.mark.parametrize("title", ["New", "open", "Calendar"])
def test_mission_create_slug_never_a_fixed_path(staff_user, title):
    mission = mission_create(by=staff_user, **fields(title=title))

    assert mission.slug == f"{title.lower()}-2"


def test_mission_create_slug_of_symbols_only_is_mission(staff_user):
    assert mission_create(by=staff_user, **fields(title="—")).slug == "mission"


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ({"end_date": datetime.date(2027, 7, 7)}, {"end_date": ["end_before_start"]}),
        (
            {"application_deadline": datetime.datetime(2027, 7, 8, 0, 30, tzinfo=PARIS)},
            {"application_deadline": ["deadline_not_before_start"]},
        ),
        (
            {"applications_open_at": datetime.datetime(2027, 5, 15, 18, 0, tzinfo=PARIS)},
            {"applications_open_at": ["opening_not_before_deadline"]},
        ),
        ({"capacity": 0}, {"capacity": ["capacity_below_one"]}),
        ({"timezone": "Mars/Olympus_Mons"}, {"timezone": ["unknown_time_zone"]}),
        ({"title": ""}, {"title": ["blank"]}),
    ],
)
def test_mission_create_invalid_refused_by_field_saves_nothing(staff_user, overrides, expected):
    with pytest.raises(ValidationError) as excinfo:
        mission_create(by=staff_user, **fields(**overrides))

    assert errors_of(excinfo) == expected
    assert Mission.objects.count() == 0
    assert MissionStatusChange.objects.count() == 0


def test_mission_create_deadline_day_before_start_in_paris_accepted(staff_user):
    # 23:30 in Paris on the 7th is already the 8th in UTC+0... and still the 7th in Paris.
    deadline = datetime.datetime(2027, 7, 7, 23, 30, tzinfo=PARIS)

    mission = mission_create(by=staff_user, **fields(application_deadline=deadline))

    assert mission.application_deadline == deadline


def test_mission_create_official_not_in_group_refused(staff_user, company_member):
    with pytest.raises(ValidationError) as excinfo:
        mission_create(by=staff_user, officials=[company_member], **fields())

    assert errors_of(excinfo) == {"officials": ["not_official"]}
    assert Mission.objects.count() == 0


# Edit -----------------------------------------------------------------------------------


def test_mission_update_saves_and_bumps_version(staff_user):
    mission = mission_create(by=staff_user, **fields())

    updated = mission_update(
        mission=mission, by=staff_user, expected_version=1, capacity=12, title="Renamed"
    )

    assert (updated.capacity, updated.title, updated.version) == (12, "Renamed", 2)
    assert updated.slug == "canada-toronto-et-montreal-2027"


def test_mission_update_stale_version_refused_saves_nothing(staff_user):
    mission = mission_create(by=staff_user, **fields())
    mission_update(mission=mission, by=staff_user, expected_version=1, capacity=12)

    with pytest.raises(MissionConflict) as excinfo:
        mission_update(mission=mission, by=staff_user, expected_version=1, capacity=40)

    assert [e.code for e in excinfo.value.error_dict[NON_FIELD_ERRORS]] == ["conflict"]
    assert "Someone else changed this mission on" in excinfo.value.messages[0]
    mission.refresh_from_db()
    assert (mission.capacity, mission.version) == (12, 2)


def test_mission_update_invalid_saves_nothing(staff_user):
    mission = mission_create(by=staff_user, **fields())

    with pytest.raises(ValidationError) as excinfo:
        mission_update(
            mission=mission,
            by=staff_user,
            expected_version=1,
            title="Changed",
            end_date=datetime.date(2027, 7, 1),
        )

    assert errors_of(excinfo) == {"end_date": ["end_before_start"]}
    mission.refresh_from_db()
    assert (mission.title, mission.end_date, mission.version) == (
        "Canada — Toronto et Montréal 2027",
        datetime.date(2027, 7, 12),
        1,
    )


def test_mission_update_status_not_a_field(staff_user):
    mission = mission_create(by=staff_user, **fields())

    with pytest.raises(TypeError):
        mission_update(mission=mission, by=staff_user, expected_version=1, status="open")


# Transitions ------------------------------------------------------------------------------

ALL_PAIRS = list(itertools.product(MissionStatus, MissionStatus))
ALLOWED = [(a, b) for a, b in ALL_PAIRS if b in MISSION_TRANSITIONS[a]]
REFUSED = [(a, b) for a, b in ALL_PAIRS if b not in MISSION_TRANSITIONS[a]]


def ready_mission(status, to_status=None):
    """A mission in ``status`` that meets the preconditions of any move from it."""
    today = timezone.localdate()
    started = to_status in (MissionStatus.IN_PROGRESS, MissionStatus.COMPLETED)
    start = today - datetime.timedelta(days=3) if started else today + datetime.timedelta(90)
    mission = MissionFactory(
        status=status,
        start_date=start,
        end_date=start + datetime.timedelta(days=2),
        application_deadline=timezone.now() + datetime.timedelta(days=30),
    )
    mission.sectors.add(SectorFactory(code="numerique"))
    ApplicationFactory(mission=mission, status=ApplicationStatus.ACCEPTED)
    MissionReportFactory(mission=mission, status=ReportStatus.APPROVED)
    return mission


def test_transition_table_covers_every_pair():
    assert (len(ALLOWED), len(REFUSED)) == (11, 53)


@pytest.mark.parametrize(("from_status", "to_status"), ALLOWED)
def test_mission_transition_allowed_records_one_change(staff_user, from_status, to_status):
    mission = ready_mission(from_status, to_status)

    moved = mission_transition(mission=mission, to_status=to_status, by=staff_user)

    assert (moved.status, moved.version) == (to_status, 2)
    assert list(
        MissionStatusChange.objects.filter(mission=mission).values_list(
            "from_status", "to_status", "changed_by"
        )
    ) == [(from_status, to_status, staff_user.pk)]


@pytest.mark.parametrize(("from_status", "to_status"), REFUSED)
def test_mission_transition_wrong_state_refused_changes_nothing(
    staff_user, from_status, to_status
):
    mission = ready_mission(from_status, to_status)

    with pytest.raises(TransitionError) as excinfo:
        mission_transition(mission=mission, to_status=to_status, by=staff_user)

    assert excinfo.value.messages == [
        f"A mission that is “{MissionStatus(from_status).label}” cannot become "
        f"“{MissionStatus(to_status).label}”."
    ]
    mission.refresh_from_db()
    assert (mission.status, mission.version) == (from_status, 1)
    assert MissionStatusChange.objects.count() == 0


def test_mission_transition_unknown_status_refused(staff_user):
    mission = ready_mission(MissionStatus.DRAFT)

    with pytest.raises(TransitionError) as excinfo:
        mission_transition(mission=mission, to_status="published", by=staff_user)

    assert excinfo.value.messages == ["“published” is not a mission status."]


def refused(mission, to_status, by) -> list[str]:
    with pytest.raises(TransitionError) as excinfo:
        mission_transition(mission=mission, to_status=to_status, by=by)
    mission.refresh_from_db()
    assert mission.version == 1
    assert MissionStatusChange.objects.filter(mission=mission).count() == 0
    return excinfo.value.messages


def test_mission_open_without_anything_refused_with_every_reason(staff_user):
    mission = MissionFactory(start_date=None, end_date=None)

    assert refused(mission, MissionStatus.OPEN, staff_user) == [
        "Set the start and end dates before opening the mission.",
        "Choose at least one sector before opening the mission.",
        "Set an application deadline before opening the mission.",
    ]
    assert mission.status == MissionStatus.DRAFT


def test_mission_open_deadline_passed_refused(staff_user):
    mission = ready_mission(MissionStatus.DRAFT)
    Mission.objects.filter(pk=mission.pk).update(
        application_deadline=timezone.now() - datetime.timedelta(minutes=1)
    )

    assert refused(mission, MissionStatus.OPEN, staff_user) == [
        "The application deadline has passed: set a later one."
    ]


def test_mission_open_deadline_on_start_day_refused(staff_user):
    mission = ready_mission(MissionStatus.DRAFT)
    start = timezone.localdate() + datetime.timedelta(days=10)
    Mission.objects.filter(pk=mission.pk).update(
        start_date=start,
        end_date=start + datetime.timedelta(days=2),
        application_deadline=datetime.datetime.combine(start, datetime.time(8), tzinfo=PARIS),
    )

    assert refused(mission, MissionStatus.OPEN, staff_user) == [
        "The application deadline must be before the start date of the mission."
    ]


def test_mission_confirm_without_accepted_company_refused(staff_user):
    mission = MissionFactory(status=MissionStatus.SELECTION)
    for status in (
        ApplicationStatus.SUBMITTED,
        ApplicationStatus.WAITLISTED,
        ApplicationStatus.REJECTED,
        ApplicationStatus.WITHDRAWN,
    ):
        ApplicationFactory(mission=mission, status=status)

    assert refused(mission, MissionStatus.CONFIRMED, staff_user) == [
        "No company is accepted yet: accept at least one before confirming."
    ]


def test_mission_confirm_with_a_decision_not_announced_refused(staff_user):
    mission = MissionFactory(status=MissionStatus.SELECTION)
    ApplicationFactory(mission=mission, status=ApplicationStatus.CONFIRMED)
    ApplicationFactory(
        mission=mission,
        status=ApplicationStatus.REJECTED,
        announced_status=ApplicationStatus.SUBMITTED,
    )

    assert refused(mission, MissionStatus.CONFIRMED, staff_user) == [
        "Some decisions are not announced yet: announce them before confirming."
    ]


def test_mission_capacity_below_the_seats_held_refused(staff_user):
    mission = MissionFactory(status=MissionStatus.SELECTION, capacity=5)
    ApplicationFactory(mission=mission, status=ApplicationStatus.CONFIRMED)
    ApplicationFactory(mission=mission, status=ApplicationStatus.ACCEPTED)
    ApplicationFactory(mission=mission, status=ApplicationStatus.WAITLISTED)

    with pytest.raises(ValidationError) as error:
        mission_update(mission=mission, by=staff_user, expected_version=1, capacity=1)

    assert error.value.message_dict["capacity"] == [
        "2 companies already hold a seat: the capacity cannot be lower."
    ]
    moved = mission_update(mission=mission, by=staff_user, expected_version=1, capacity=2)
    assert moved.capacity == 2


def test_mission_confirm_with_confirmed_seat_allowed(staff_user):
    mission = MissionFactory(status=MissionStatus.SELECTION)
    ApplicationFactory(mission=mission, status=ApplicationStatus.CONFIRMED)

    moved = mission_transition(mission=mission, to_status=MissionStatus.CONFIRMED, by=staff_user)

    assert moved.status == MissionStatus.CONFIRMED


def test_mission_start_before_start_date_at_destination_refused(staff_user):
    tomorrow_in_toronto = timezone.now().astimezone(TORONTO).date() + datetime.timedelta(1)
    mission = MissionFactory(
        status=MissionStatus.CONFIRMED,
        start_date=tomorrow_in_toronto,
        end_date=tomorrow_in_toronto + datetime.timedelta(days=3),
    )

    assert refused(mission, MissionStatus.IN_PROGRESS, staff_user) == [
        "The mission has not started yet at its destination."
    ]


def test_mission_start_on_start_date_at_destination_allowed(staff_user):
    today_in_toronto = timezone.now().astimezone(TORONTO).date()
    mission = MissionFactory(
        status=MissionStatus.CONFIRMED,
        start_date=today_in_toronto,
        end_date=today_in_toronto + datetime.timedelta(days=3),
    )

    moved = mission_transition(mission=mission, to_status=MissionStatus.IN_PROGRESS, by=staff_user)

    assert moved.status == MissionStatus.IN_PROGRESS


def test_mission_complete_before_last_day_refused(staff_user):
    today_in_toronto = timezone.now().astimezone(TORONTO).date()
    mission = MissionFactory(
        status=MissionStatus.IN_PROGRESS,
        start_date=today_in_toronto - datetime.timedelta(days=1),
        end_date=today_in_toronto + datetime.timedelta(days=1),
    )

    assert refused(mission, MissionStatus.COMPLETED, staff_user) == [
        "The mission is not over yet: its last day has not come."
    ]


def test_mission_complete_on_last_day_allowed(staff_user):
    today_in_toronto = timezone.now().astimezone(TORONTO).date()
    mission = MissionFactory(
        status=MissionStatus.IN_PROGRESS,
        start_date=today_in_toronto - datetime.timedelta(days=2),
        end_date=today_in_toronto,
    )

    moved = mission_transition(mission=mission, to_status=MissionStatus.COMPLETED, by=staff_user)

    assert moved.status == MissionStatus.COMPLETED


@pytest.mark.parametrize(
    "report_status",
    [ReportStatus.DRAFT, ReportStatus.SUBMITTED, ReportStatus.CHANGES_REQUESTED, None],
)
def test_mission_report_not_approved_refused(staff_user, report_status):
    mission = MissionFactory(status=MissionStatus.COMPLETED)
    if report_status:
        MissionReportFactory(mission=mission, status=report_status)

    assert refused(mission, MissionStatus.REPORTED, staff_user) == [
        "The mission's report is not approved yet."
    ]


def test_mission_transition_twice_from_same_state_second_refused(staff_user):
    mission = ready_mission(MissionStatus.DRAFT)
    stale = Mission.objects.get(pk=mission.pk)
    mission_transition(mission=mission, to_status=MissionStatus.OPEN, by=staff_user)

    # The second click was made on the page still showing "draft".
    with pytest.raises(TransitionError) as excinfo:
        mission_transition(mission=stale, to_status=MissionStatus.OPEN, by=staff_user)

    assert excinfo.value.messages == [
        "A mission that is “Open for applications” cannot become “Open for applications”."
    ]
    assert MissionStatusChange.objects.filter(mission=mission).count() == 1


def test_mission_transition_makes_pending_edit_conflict(staff_user):
    mission = ready_mission(MissionStatus.DRAFT)
    mission_transition(mission=mission, to_status=MissionStatus.CANCELLED, by=staff_user)

    with pytest.raises(MissionConflict):
        mission_update(mission=mission, by=staff_user, expected_version=1, capacity=3)


# Programme ------------------------------------------------------------------------------


def test_programme_item_save_reads_times_in_destination_zone(staff_user):
    mission = MissionFactory(timezone="America/Toronto")

    item = programme_item_save(
        mission=mission,
        by=staff_user,
        kind="trade_fair",
        title="Startup Fest",
        starts_at=datetime.datetime(2027, 7, 9, 9, 30),
        ends_at=datetime.datetime(2027, 7, 9, 18, 0),
    )

    assert item.starts_at == datetime.datetime(2027, 7, 9, 13, 30, tzinfo=datetime.UTC)
    assert item.ends_at == datetime.datetime(2027, 7, 9, 22, 0, tzinfo=datetime.UTC)


def test_programme_item_save_ambiguous_time_takes_first_occurrence(staff_user):
    mission = MissionFactory(timezone="America/Toronto")

    # 2019-11-03 01:30 happens twice in Toronto: first in EDT (UTC-4), then in EST.
    item = programme_item_save(
        mission=mission,
        by=staff_user,
        kind="travel",
        title="Night train",
        starts_at=datetime.datetime(2019, 11, 3, 1, 30),
        ends_at=datetime.datetime(2019, 11, 3, 3, 0),
    )

    assert item.starts_at == datetime.datetime(2019, 11, 3, 5, 30, tzinfo=datetime.UTC)
    assert item.ends_at == datetime.datetime(2019, 11, 3, 8, 0, tzinfo=datetime.UTC)


def test_programme_item_save_nonexistent_time_refused(staff_user):
    mission = MissionFactory(timezone="America/Toronto")

    with pytest.raises(ValidationError) as excinfo:
        programme_item_save(
            mission=mission,
            by=staff_user,
            kind="travel",
            title="Night train",
            starts_at=datetime.datetime(2019, 3, 10, 2, 30),
            ends_at=datetime.datetime(2019, 3, 10, 4, 0),
        )

    assert errors_of(excinfo) == {"starts_at": ["nonexistent_time"]}
    assert excinfo.value.messages == [
        "2019-03-10 02:30 does not exist in America/Toronto: the clocks skip that hour "
        "that night (daylight saving time). Choose another time."
    ]
    assert ProgrammeItem.objects.count() == 0


def test_programme_item_save_end_not_after_start_refused(staff_user):
    mission = MissionFactory()

    with pytest.raises(ValidationError) as excinfo:
        programme_item_save(
            mission=mission,
            by=staff_user,
            kind="networking",
            title="Cocktail",
            starts_at=datetime.datetime(2027, 7, 9, 18, 0),
            ends_at=datetime.datetime(2027, 7, 9, 18, 0),
        )

    assert errors_of(excinfo) == {"ends_at": ["ends_before_start"]}
    assert ProgrammeItem.objects.count() == 0


def test_programme_item_save_edits_existing_item(staff_user):
    item = ProgrammeItemFactory(title="Cocktail")

    saved = programme_item_save(
        mission=item.mission, by=staff_user, item=item, title="Cocktail at the consulate"
    )

    assert saved.pk == item.pk
    assert ProgrammeItem.objects.get().title == "Cocktail at the consulate"


def test_programme_item_save_item_of_other_mission_refused(staff_user):
    item = ProgrammeItemFactory()

    with pytest.raises(ValueError, match="another mission"):
        programme_item_save(mission=MissionFactory(), by=staff_user, item=item, title="x")


def test_programme_item_delete_removes_it(staff_user):
    item = ProgrammeItemFactory()

    programme_item_delete(item=item, by=staff_user)

    assert ProgrammeItem.objects.count() == 0


# Duplicate ------------------------------------------------------------------------------


def test_mission_duplicate_copies_into_next_year_draft(staff_user, official_user):
    mission = MissionFactory(
        title="Canada — Toronto et Montréal 2019",
        slug="canada-2019",
        status=MissionStatus.REPORTED,
        start_date=datetime.date(2019, 7, 8),
        end_date=datetime.date(2019, 7, 12),
        capacity=30,
        partners="CCI, Business France",
        description="Startup Fest.",
        objectives="30 companies.",
        summary="Toronto and Montréal",
        budget_planned=Decimal("45000.00"),
        budget_actual=Decimal("43000.00"),
        applications_open_at=datetime.datetime(2019, 3, 1, 9, tzinfo=PARIS),
        application_deadline=datetime.datetime(2019, 5, 15, 18, tzinfo=PARIS),
    )
    mission.sectors.add(SectorFactory(code="numerique"))
    mission.officials.add(official_user)
    ProgrammeItemFactory(
        mission=mission,
        title="Startup Fest",
        starts_at=datetime.datetime(2019, 7, 10, 9, 30, tzinfo=TORONTO),
        ends_at=datetime.datetime(2019, 7, 10, 18, 0, tzinfo=TORONTO),
    )
    ApplicationFactory(mission=mission, status=ApplicationStatus.CONFIRMED)

    copy = mission_duplicate(mission=mission, by=staff_user, today=datetime.date(2019, 9, 1))

    assert copy.title == "Canada — Toronto et Montréal 2020"
    assert copy.slug == "canada-toronto-et-montreal-2020"
    assert copy.status == MissionStatus.DRAFT
    assert (copy.start_date, copy.end_date) == (
        datetime.date(2020, 7, 8),
        datetime.date(2020, 7, 12),
    )
    assert (copy.applications_open_at, copy.application_deadline) == (None, None)
    assert (copy.country, copy.cities, copy.timezone, copy.capacity) == (
        "CA",
        "Toronto, Montréal",
        "America/Toronto",
        30,
    )
    assert (copy.partners, copy.description, copy.objectives, copy.summary) == (
        "CCI, Business France",
        "Startup Fest.",
        "30 companies.",
        "Toronto and Montréal",
    )
    assert (copy.budget_planned, copy.budget_actual) == (Decimal("45000.00"), None)
    assert [s.code for s in copy.sectors.all()] == ["numerique"]
    assert list(copy.officials.all()) == [official_user]
    assert copy.applications.count() == 0
    assert [
        (i.title, i.starts_at.astimezone(TORONTO), i.ends_at.astimezone(TORONTO))
        for i in copy.programme.all()
    ] == [
        (
            "Startup Fest",
            datetime.datetime(2020, 7, 10, 9, 30, tzinfo=TORONTO),
            datetime.datetime(2020, 7, 10, 18, 0, tzinfo=TORONTO),
        )
    ]
    assert list(copy.status_changes.values_list("from_status", "to_status", "changed_by")) == [
        ("", "draft", staff_user.pk)
    ]
    mission.refresh_from_db()
    assert (mission.status, mission.programme.count()) == (MissionStatus.REPORTED, 1)


def test_mission_duplicate_long_past_moves_to_next_occurrence(staff_user):
    mission = MissionFactory(
        title="Japon — Tokyo, Kobe, Kyoto 2019",
        start_date=datetime.date(2019, 10, 14),
        end_date=datetime.date(2019, 10, 20),
    )

    copy = mission_duplicate(mission=mission, by=staff_user, today=datetime.date(2026, 11, 26))

    assert copy.title == "Japon — Tokyo, Kobe, Kyoto 2027"
    assert copy.start_date == datetime.date(2027, 10, 14)


def test_mission_duplicate_29_february_becomes_28(staff_user):
    mission = MissionFactory(
        title="Austin SXSW",
        start_date=datetime.date(2024, 2, 29),
        end_date=datetime.date(2024, 3, 3),
    )

    copy = mission_duplicate(mission=mission, by=staff_user, today=datetime.date(2024, 1, 1))

    assert copy.title == "Austin SXSW (copy)"
    assert (copy.start_date, copy.end_date) == (
        datetime.date(2025, 2, 28),
        datetime.date(2025, 3, 3),
    )
