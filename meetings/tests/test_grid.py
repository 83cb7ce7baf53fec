"""The meeting grid's services: slots cut in destination time (across daylight-saving
changes), every refusal, unavailabilities, the scheduler's run on the database, moves
and locks, and the database refusing a double booking whatever the code path."""

import datetime
from unittest import mock

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone, translation

from companies.tests.factories import CompanyFactory
from delegations.enums import ApplicationStatus
from delegations.tests.factories import ApplicationFactory
from meetings.enums import MeetingRequestStatus, MeetingStatus
from meetings.models import Meeting, MeetingGrid, MeetingRequest, MeetingSlot, Unavailability
from meetings.services import grid as grid_services
from meetings.services.grid import (
    GridError,
    grid_configure,
    meeting_lock,
    meeting_move,
    meetings_schedule,
    unavailability_set,
)
from meetings.tests.factories import CounterpartFactory, MeetingRequestFactory
from missions.tests.factories import OpenMissionFactory

pytestmark = pytest.mark.django_db

UTC = datetime.UTC
QUALIFIED = MeetingRequestStatus.QUALIFIED
SCHEDULED = MeetingRequestStatus.SCHEDULED


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


def utc(*args) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=UTC)


def _mission(start=datetime.date(2027, 7, 6), days=4, **fields):
    return OpenMissionFactory(
        title="Canada 2027",
        timezone="America/Toronto",
        start_date=start,
        end_date=start + datetime.timedelta(days=days),
        **fields,
    )


def _session(date, start, end) -> dict:
    return {"date": date, "start": start, "end": end}


def _configure(mission, sessions, *, slot_minutes=30, tables=3, by=None):
    return grid_configure(
        mission=mission, by=by, sessions=sessions, slot_minutes=slot_minutes, tables=tables
    )


def _errors(excinfo) -> dict[str, list[str]]:
    return {
        field: [message for error in errors for message in error.messages]
        for field, errors in excinfo.value.error_dict.items()
    }


def _starts(grid) -> list[datetime.datetime]:
    return list(grid.slots.order_by("starts_at").values_list("starts_at", flat=True))


# Slots in destination time -------------------------------------------------------------


def test_grid_configure_cuts_slots_in_toronto_time_on_both_sides_of_spring_forward(
    staff_user,
):
    mission = _mission(start=datetime.date(2027, 3, 12))

    change = _configure(
        mission,
        [
            _session("2027-03-13", "09:00", "10:00"),  # EST, UTC-5
            _session("2027-03-15", "09:00", "10:00"),  # EDT, UTC-4: clocks went forward
        ],
        by=staff_user,
    )

    assert change.created is True
    assert change.slots_added == 4
    assert change.notes == []
    assert _starts(change.grid) == [
        utc(2027, 3, 13, 14, 0),
        utc(2027, 3, 13, 14, 30),
        utc(2027, 3, 15, 13, 0),
        utc(2027, 3, 15, 13, 30),
    ]
    assert list(change.grid.slots.values_list("ends_at", flat=True).order_by("starts_at")) == [
        utc(2027, 3, 13, 14, 30),
        utc(2027, 3, 13, 15, 0),
        utc(2027, 3, 15, 13, 30),
        utc(2027, 3, 15, 14, 0),
    ]
    assert change.grid.sessions == [
        {"date": "2027-03-13", "start": "09:00", "end": "10:00"},
        {"date": "2027-03-15", "start": "09:00", "end": "10:00"},
    ]
    assert (change.grid.slot_minutes, change.grid.tables) == (30, 3)


def test_grid_configure_session_through_fall_back_lasts_the_hours_that_pass():
    mission = _mission(start=datetime.date(2027, 11, 5))

    change = _configure(mission, [_session("2027-11-07", "01:00", "03:00")], slot_minutes=60)

    # 01:00 EDT is 05:00 UTC, 03:00 EST is 08:00 UTC: three hours pass, three slots.
    assert _starts(change.grid) == [utc(2027, 11, 7, 5), utc(2027, 11, 7, 6), utc(2027, 11, 7, 7)]


def test_grid_configure_refuses_a_time_the_clocks_skip():
    mission = _mission(start=datetime.date(2027, 3, 12))

    with pytest.raises(GridError) as excinfo:
        _configure(mission, [_session("2027-03-14", "02:30", "04:00")])

    assert _errors(excinfo) == {
        "sessions": [
            "Session 1: 2027-03-14 02:30 does not exist in America/Toronto: the clocks skip "
            "that hour that night (daylight saving time). Choose another time."
        ]
    }
    assert excinfo.value.error_dict["sessions"][0].session == 0
    assert MeetingGrid.objects.count() == 0


def test_grid_configure_drops_a_partial_last_slot_and_says_so():
    mission = _mission()

    change = _configure(
        mission, [_session("2027-07-06", "09:00", "10:40")], slot_minutes=30, tables=2
    )

    assert _starts(change.grid) == [
        utc(2027, 7, 6, 13),
        utc(2027, 7, 6, 13, 30),
        utc(2027, 7, 6, 14),
    ]
    assert change.notes == [
        "Session 1 does not divide into slots of 30 minutes: its last 10 minutes are left "
        "out of the grid."
    ]


@pytest.mark.parametrize(
    ("sessions", "slot_minutes", "tables", "expected"),
    [
        (
            [_session("2027-07-20", "09:00", "12:00")],
            30,
            3,
            {
                "sessions": [
                    "Session 1: 20 July 2027 is not within the mission's dates (6 July 2027 "
                    "to 10 July 2027)."
                ]
            },
        ),
        (
            [_session("2027-07-06", "12:00", "09:00")],
            30,
            3,
            {"sessions": ["Session 1: the end must be after the start."]},
        ),
        (
            [_session("2027-07-06", "09:00", "12:00"), _session("2027-07-06", "11:30", "13:00")],
            30,
            3,
            {"sessions": ["Sessions 1 and 2 overlap."]},
        ),
        (
            [_session("2027-07-06", "09:00", "09:20")],
            30,
            3,
            {"sessions": ["Session 1 is shorter than one slot of 30 minutes."]},
        ),
        ([], 30, 3, {"sessions": ["Add at least one session: a date, a start and an end."]}),
        (
            [_session("2027-07-06", "09:00", "12:00")],
            4,
            0,
            {
                "slot_minutes": ["A slot lasts at least 5 minutes."],
                "tables": ["The grid needs at least one table."],
            },
        ),
        (
            [_session("2027-07-06", "09:00", "12:00")],
            22,
            3,
            {"slot_minutes": ["A slot length is a multiple of 5 minutes (15, 20, 30...)."]},
        ),
        (
            [_session("2027-07-06", "09:00", "12:00")],
            300,
            3,
            {"slot_minutes": ["A slot lasts at most 240 minutes."]},
        ),
    ],
)
def test_grid_configure_refusals_are_keyed_by_field(sessions, slot_minutes, tables, expected):
    mission = _mission()

    with pytest.raises(GridError) as excinfo:
        _configure(mission, sessions, slot_minutes=slot_minutes, tables=tables)

    assert _errors(excinfo) == expected
    assert MeetingGrid.objects.count() == 0


def test_grid_configure_refuses_a_mission_without_dates():
    mission = _mission()
    mission.start_date = mission.end_date = None
    mission.save()

    with pytest.raises(GridError) as excinfo:
        _configure(mission, [_session("2027-07-06", "09:00", "12:00")])

    assert _errors(excinfo) == {
        "sessions": ["The mission has no dates yet: set them before laying out its grid."]
    }


# Participants, requests and meetings ----------------------------------------------------


@pytest.fixture
def mission():
    return _mission()


@pytest.fixture
def grid(mission):
    # Two slots on 6 July, 09:00 and 09:30 Toronto time (13:00 and 13:30 UTC).
    return _configure(mission, [_session("2027-07-06", "09:00", "10:00")], tables=2).grid


def _company(mission, name):
    return ApplicationFactory(
        mission=mission, company=CompanyFactory(name=name), status=ApplicationStatus.CONFIRMED
    )


def _counterpart(mission, name):
    return CounterpartFactory(mission=mission, organisation=name)


def _request(application, counterpart, *, priority=2, status=QUALIFIED):
    return MeetingRequestFactory(
        application=application, counterpart=counterpart, priority=priority, status=status
    )


def _meeting(meeting_request, slot, table=1, **fields):
    return Meeting.objects.create(
        request=meeting_request,
        slot=slot,
        table=table,
        application=meeting_request.application,
        counterpart=meeting_request.counterpart,
        **fields,
    )


@pytest.fixture
def people(mission):
    return {
        "alpha": _company(mission, "Alpha Solar"),
        "beta": _company(mission, "Beta Ports"),
        "maple": _counterpart(mission, "Maple Ventures"),
        "lake": _counterpart(mission, "Lake Capital"),
    }


def _slots(grid) -> list[MeetingSlot]:
    return list(grid.slots.order_by("starts_at"))


def test_grid_configure_keeps_slots_that_still_fit_with_their_meetings(mission, grid, people):
    first, second = _slots(grid)
    meeting = _meeting(_request(people["alpha"], people["maple"], status=SCHEDULED), second)

    change = _configure(
        mission,
        [_session("2027-07-06", "09:00", "11:00"), _session("2027-07-07", "14:00", "15:00")],
        tables=2,
    )

    assert (change.slots_added, change.slots_removed) == (4, 0)
    assert set(_slots(change.grid)[:2]) == {first, second}
    meeting.refresh_from_db()
    assert meeting.slot == second


def test_grid_configure_refuses_removing_a_slot_that_holds_a_meeting(mission, grid, people):
    _first, second = _slots(grid)
    _meeting(_request(people["alpha"], people["maple"], status=SCHEDULED), second)

    with pytest.raises(GridError) as excinfo:
        _configure(mission, [_session("2027-07-06", "09:00", "09:30")], tables=2)

    assert _errors(excinfo) == {
        "sessions": [
            "The slot at 09:30 Toronto time on 6 July 2027 would leave the grid, but it holds "
            "the meeting Alpha Solar ↔ Maple Ventures (Scheduled): move it first."
        ]
    }
    assert grid.slots.count() == 2


def test_grid_configure_removes_free_slots_and_their_unavailabilities(mission, grid, people):
    _first, second = _slots(grid)
    Unavailability.objects.create(slot=second, application=people["alpha"])

    change = _configure(mission, [_session("2027-07-06", "09:00", "09:30")], tables=2)

    assert (change.slots_added, change.slots_removed) == (0, 1)
    assert change.notes == ["1 unavailability was in a slot that left the grid: it is removed."]
    assert Unavailability.objects.count() == 0


def test_grid_configure_refuses_fewer_tables_than_a_meeting_uses(mission, grid, people):
    first, _second = _slots(grid)
    _meeting(_request(people["beta"], people["lake"], status=SCHEDULED), first, table=2)

    with pytest.raises(GridError) as excinfo:
        _configure(mission, [_session("2027-07-06", "09:00", "10:00")], tables=1)

    assert _errors(excinfo) == {
        "tables": [
            "Table 2 is in use: Beta Ports ↔ Lake Capital at 09:00 Toronto time on 6 July "
            "2027. Move it before lowering the number of tables."
        ]
    }
    grid.refresh_from_db()
    assert grid.tables == 2


def test_grid_configure_lowers_tables_above_a_declined_meeting(mission, grid, people):
    first, _second = _slots(grid)
    _meeting(
        _request(people["beta"], people["lake"], status=SCHEDULED),
        first,
        table=2,
        status=MeetingStatus.DECLINED,
    )

    change = _configure(mission, [_session("2027-07-06", "09:00", "10:00")], tables=1)

    assert change.grid.tables == 1


# Unavailabilities ---------------------------------------------------------------------------


def test_unavailability_set_replaces_the_participants_slots(grid, people):
    first, second = _slots(grid)
    Unavailability.objects.create(slot=first, counterpart=people["maple"])
    Unavailability.objects.create(slot=first, counterpart=people["lake"])

    count = unavailability_set(grid=grid, counterpart=people["maple"], slots=[second], by=None)

    assert count == 1
    assert set(Unavailability.objects.values_list("slot", "counterpart")) == {
        (second.pk, people["maple"].pk),
        (first.pk, people["lake"].pk),
    }


def test_unavailability_set_refuses_a_slot_with_the_participants_meeting(grid, people):
    first, _second = _slots(grid)
    _meeting(_request(people["alpha"], people["maple"], status=SCHEDULED), first)

    with pytest.raises(GridError) as excinfo:
        unavailability_set(grid=grid, application=people["alpha"], slots=[first], by=None)

    assert excinfo.value.messages == [
        "Alpha Solar meets Maple Ventures at 09:00 Toronto time on 6 July 2027: move that "
        "meeting before marking the slot unavailable."
    ]
    assert Unavailability.objects.count() == 0


def test_unavailability_set_refuses_a_company_without_a_confirmed_seat(mission, grid):
    accepted = ApplicationFactory(mission=mission, status=ApplicationStatus.ACCEPTED)

    with pytest.raises(GridError) as excinfo:
        unavailability_set(grid=grid, application=accepted, slots=[], by=None)

    assert excinfo.value.messages == [
        "Only a company whose seat in this mission is confirmed takes part in its grid."
    ]


def test_unavailability_set_refuses_a_slot_of_another_grid(grid, people):
    other = _configure(_mission(), [_session("2027-07-06", "09:00", "10:00")]).grid

    with pytest.raises(GridError) as excinfo:
        unavailability_set(
            grid=grid, counterpart=people["maple"], slots=[_slots(other)[0]], by=None
        )

    assert excinfo.value.messages == ["A slot chosen is not in this mission's grid."]


def test_unavailability_set_refuses_another_missions_counterpart(grid):
    stranger = CounterpartFactory(organisation="Elsewhere Inc")

    with pytest.raises(GridError) as excinfo:
        unavailability_set(grid=grid, counterpart=stranger, slots=[], by=None)

    assert excinfo.value.messages == ["This counterpart is not one of this mission's."]


# The scheduler's run ---------------------------------------------------------------------


def _active(grid):
    return {
        (m.request_id, m.slot_id, m.table)
        for m in Meeting.objects.filter(slot__grid=grid).exclude(
            status__in=(MeetingStatus.CANCELLED, MeetingStatus.DECLINED)
        )
    }


def _assert_constraints(grid):
    """No table, company or counterpart twice in a slot; nobody where unavailable."""
    meetings = list(Meeting.objects.filter(slot__grid=grid, status=MeetingStatus.SCHEDULED))
    for key in ("table", "application_id", "counterpart_id"):
        pairs = [(m.slot_id, getattr(m, key)) for m in meetings]
        assert len(pairs) == len(set(pairs)), key
    absent = set(Unavailability.objects.values_list("slot_id", "application_id", "counterpart_id"))
    for m in meetings:
        assert (m.slot_id, m.application_id, None) not in absent
        assert (m.slot_id, None, m.counterpart_id) not in absent
        assert 1 <= m.table <= grid.tables


def test_meetings_schedule_places_requests_within_every_constraint(mission, grid, people):
    first, second = _slots(grid)
    Unavailability.objects.create(slot=first, counterpart=people["lake"])
    requests = [
        _request(people["alpha"], people["maple"], priority=3),
        _request(people["beta"], people["maple"], priority=2),
        _request(people["alpha"], people["lake"], priority=1),
        _request(people["beta"], people["lake"], priority=1),
    ]

    report = meetings_schedule(mission=mission, by=None)

    _assert_constraints(grid)
    # Lake is free only at 09:30: one of its two requests, and Maple meets both companies.
    assert report.placed == 3
    assert report.kept == 0
    assert report.objective == 6
    assert report.bound == 6
    assert report.optimal is True
    assert len(report.unscheduled) == 1
    assert report.unscheduled[0].reason == "participant_busy"
    assert report.unscheduled[0].sentence == (
        f"In every slot where both are available, {report.unscheduled[0].company} or Lake "
        "Capital already meets someone."
    )
    statuses = dict(MeetingRequest.objects.values_list("pk", "status"))
    assert statuses[requests[0].pk] == SCHEDULED
    assert statuses[requests[1].pk] == SCHEDULED
    assert sorted([statuses[requests[2].pk], statuses[requests[3].pk]]) == [QUALIFIED, SCHEDULED]
    lake_meeting = Meeting.objects.get(counterpart=people["lake"])
    assert lake_meeting.slot == second
    assert report.seconds >= 0


def test_meetings_schedule_keeps_locked_and_invited_meetings_and_replaces_drafts(
    mission, grid, people
):
    first, second = _slots(grid)
    locked = _meeting(
        _request(people["alpha"], people["maple"], status=SCHEDULED), second, 2, locked=True
    )
    invited = _meeting(
        _request(people["beta"], people["lake"], status=SCHEDULED),
        second,
        1,
        invited_at=timezone.now(),
    )
    draft_request = _request(people["alpha"], people["lake"], status=SCHEDULED, priority=3)
    draft = _meeting(draft_request, first, 2)
    other = _request(people["beta"], people["maple"], priority=1)

    report = meetings_schedule(mission=mission, by=None)

    assert report.kept == 2
    assert report.placed == 2
    assert report.unscheduled == ()
    assert Meeting.objects.filter(pk=draft.pk).exists() is False
    locked.refresh_from_db()
    invited.refresh_from_db()
    assert (locked.slot, locked.table, locked.locked) == (second, 2, True)
    assert (invited.slot, invited.table) == (second, 1)
    assert _active(grid) == {
        (locked.request_id, second.pk, 2),
        (invited.request_id, second.pk, 1),
        # Tables from 1, in the order of the request ids.
        (draft_request.pk, first.pk, 1),
        (other.pk, first.pk, 2),
    }
    assert set(MeetingRequest.objects.values_list("status", flat=True)) == {SCHEDULED}


def test_meetings_schedule_leaves_requests_with_a_declined_meeting_and_other_missions(
    mission, grid, people
):
    first, _second = _slots(grid)
    declined = _meeting(
        _request(people["alpha"], people["maple"], status=SCHEDULED),
        first,
        status=MeetingStatus.DECLINED,
    )
    requested = _request(people["beta"], people["maple"], status=MeetingRequestStatus.REQUESTED)
    withdrawn = ApplicationFactory(
        mission=mission, company=CompanyFactory(name="Gone"), status=ApplicationStatus.WITHDRAWN
    )
    _request(withdrawn, people["lake"])

    report = meetings_schedule(mission=mission, by=None)

    assert (report.placed, report.kept, report.unscheduled) == (0, 0, ())
    assert list(Meeting.objects.values_list("pk", flat=True)) == [declined.pk]
    requested.refresh_from_db()
    assert requested.status == MeetingRequestStatus.REQUESTED


@pytest.mark.parametrize(
    ("absent", "code", "sentence"),
    [
        (
            {"alpha": [0, 1]},
            "participant_unavailable",
            "Alpha Solar is unavailable in every slot of the grid.",
        ),
        (
            {"maple": [0, 1]},
            "participant_unavailable",
            "Maple Ventures is unavailable in every slot of the grid.",
        ),
        (
            {"alpha": [0], "maple": [1]},
            "no_common_slot",
            "Alpha Solar and Maple Ventures are never available in the same slot.",
        ),
    ],
)
def test_meetings_schedule_says_why_a_request_is_not_placed(
    mission, grid, people, absent, code, sentence
):
    slots = _slots(grid)
    for name, indexes in absent.items():
        for index in indexes:
            kind = "application" if name == "alpha" else "counterpart"
            Unavailability.objects.create(slot=slots[index], **{kind: people[name]})
    meeting_request = _request(people["alpha"], people["maple"])

    report = meetings_schedule(mission=mission, by=None)

    assert [(u.request_id, u.reason, u.sentence) for u in report.unscheduled] == [
        (meeting_request.pk, code, sentence)
    ]
    assert report.as_dict()["unscheduled"] == {
        str(meeting_request.pk): [code, report.unscheduled[0].who]
    }
    meeting_request.refresh_from_db()
    assert meeting_request.status == QUALIFIED


def test_meetings_schedule_says_when_every_table_is_taken(mission, people):
    grid = _configure(mission, [_session("2027-07-06", "09:00", "09:30")], tables=1).grid
    _request(people["alpha"], people["maple"], priority=3)
    second = _request(people["beta"], people["lake"], priority=1)

    report = meetings_schedule(mission=mission, by=None)

    assert [(u.request_id, u.reason, u.sentence) for u in report.unscheduled] == [
        (
            second.pk,
            "slots_full",
            "Every table is taken in the slots where both are free: add tables or a session.",
        )
    ]
    assert Meeting.objects.filter(slot__grid=grid).count() == 1


def test_meetings_schedule_refuses_a_mission_without_grid(mission):
    with pytest.raises(GridError) as excinfo:
        meetings_schedule(mission=mission, by=None)

    assert excinfo.value.messages == [
        "The meeting grid is not laid out yet: set its sessions first."
    ]


def test_meetings_schedule_writes_nothing_if_the_grid_changed_while_it_ran(mission, grid, people):
    first, _second = _slots(grid)
    _request(people["alpha"], people["maple"])
    real = grid_services.scheduling.schedule

    def slow_schedule(problem, **kwargs):
        # Someone marks Maple unavailable while the solver works.
        Unavailability.objects.create(slot=first, counterpart=people["maple"])
        return real(problem, **kwargs)

    with (
        mock.patch.object(grid_services.scheduling, "schedule", slow_schedule),
        pytest.raises(GridError) as excinfo,
    ):
        meetings_schedule(mission=mission, by=None)

    assert excinfo.value.messages == [
        "The grid changed while the scheduler ran: nothing was written, run it again."
    ]
    assert Meeting.objects.count() == 0


# Moves and locks ----------------------------------------------------------------------------


@pytest.fixture
def placed(grid, people):
    """Alpha ↔ Maple at 09:00 table 1, Beta ↔ Lake at 09:30 table 1."""
    first, second = _slots(grid)
    return {
        "am": _meeting(_request(people["alpha"], people["maple"], status=SCHEDULED), first, 1),
        "bl": _meeting(_request(people["beta"], people["lake"], status=SCHEDULED), second, 1),
    }


def _move(meeting, slot, table, **kwargs):
    return meeting_move(meeting=meeting, slot=slot, table=table, by=None, **kwargs)


def test_meeting_move_to_a_free_place_locks_it_there(grid, placed):
    _first, second = _slots(grid)

    with mock.patch("meetings.services.invitations.meeting_moved") as moved:
        meeting = _move(placed["am"], second, 2)

    meeting.refresh_from_db()
    assert (meeting.slot, meeting.table, meeting.locked, meeting.sequence) == (second, 2, True, 0)
    moved.assert_not_called()


def test_meeting_move_of_an_invited_meeting_raises_its_version_and_tells_both_sides(grid, placed):
    _first, second = _slots(grid)
    Meeting.objects.filter(pk=placed["am"].pk).update(invited_at=timezone.now(), sequence=1)
    was_table = placed["am"].table

    with mock.patch("meetings.services.invitations.meeting_moved") as moved:
        meeting = _move(placed["am"], second, 2, base_url="https://portal.example/")

    assert meeting.sequence == 2
    moved.assert_called_once_with(
        meeting=meeting,
        base_url="https://portal.example/",
        was_slot=placed["am"].slot,
        was_table=was_table,
    )
    meeting.refresh_from_db()
    assert (meeting.slot, meeting.table, meeting.sequence) == (second, 2, 2)


@pytest.mark.parametrize(
    ("setup", "target", "table", "message"),
    [
        (
            None,
            1,
            1,
            "Table 1 is taken at 09:30 Toronto time on 6 July 2027 by Beta Ports ↔ Lake Capital.",
        ),
        (None, 1, 3, "There is no table 3: the grid has tables 1 to 2."),
        (None, 1, 0, "There is no table 0: the grid has tables 1 to 2."),
        (
            "alpha_busy",
            1,
            2,
            "Alpha Solar already meets Lake Capital at 09:30 Toronto time on 6 July 2027.",
        ),
        (
            "maple_busy",
            1,
            2,
            "Maple Ventures already meets Beta Ports at 09:30 Toronto time on 6 July 2027.",
        ),
        ("alpha_away", 1, 2, "Alpha Solar is unavailable at 09:30 Toronto time on 6 July 2027."),
        (
            "maple_away",
            1,
            2,
            "Maple Ventures is unavailable at 09:30 Toronto time on 6 July 2027.",
        ),
        (
            "declined",
            1,
            2,
            "This meeting is “Declined by the counterpart”: only a meeting still on can be moved.",
        ),
        ("other_grid", None, 1, "This slot is not in the meeting grid of Canada 2027."),
    ],
)
def test_meeting_move_refused_on_each_conflict(
    grid, people, placed, setup, target, table, message
):
    slots = _slots(grid)
    slot = slots[target] if target is not None else None
    if setup == "alpha_busy":
        Meeting.objects.filter(pk=placed["bl"].pk).delete()
        _meeting(_request(people["alpha"], people["lake"], status=SCHEDULED), slots[1], 1)
    elif setup == "maple_busy":
        Meeting.objects.filter(pk=placed["bl"].pk).delete()
        _meeting(_request(people["beta"], people["maple"], status=SCHEDULED), slots[1], 1)
    elif setup == "alpha_away":
        Unavailability.objects.create(slot=slots[1], application=people["alpha"])
    elif setup == "maple_away":
        Unavailability.objects.create(slot=slots[1], counterpart=people["maple"])
    elif setup == "declined":
        Meeting.objects.filter(pk=placed["am"].pk).update(status=MeetingStatus.DECLINED)
    elif setup == "other_grid":
        other = _configure(_mission(), [_session("2027-07-06", "09:00", "10:00")]).grid
        slot = _slots(other)[0]

    with pytest.raises(GridError) as excinfo:
        _move(placed["am"], slot, table)

    assert excinfo.value.messages == [message]
    meeting = Meeting.objects.get(pk=placed["am"].pk)
    assert (meeting.slot, meeting.table, meeting.locked) == (slots[0], 1, False)


def test_meeting_move_turns_the_databases_refusal_into_the_same_sentence(grid, placed):
    _first, second = _slots(grid)
    real = grid_services._conflict
    calls = []

    def conflict_missed_once(*args):
        # The first check misses what is in the way, as if another path had placed
        # Beta ↔ Lake after it; the database refuses, and the check tells whom.
        calls.append(args)
        return None if len(calls) == 1 else real(*args)

    with (
        mock.patch.object(grid_services, "_conflict", conflict_missed_once),
        pytest.raises(GridError) as excinfo,
    ):
        _move(placed["am"], second, 1)

    assert excinfo.value.messages == [
        "Table 1 is taken at 09:30 Toronto time on 6 July 2027 by Beta Ports ↔ Lake Capital."
    ]
    meeting = Meeting.objects.get(pk=placed["am"].pk)
    assert meeting.slot_id == _slots(grid)[0].pk


def test_meeting_lock_and_unlock(placed):
    assert meeting_lock(meeting=placed["am"], locked=True, by=None).locked is True
    assert Meeting.objects.get(pk=placed["am"].pk).locked is True

    assert meeting_lock(meeting=placed["am"], locked=False, by=None).locked is False
    assert Meeting.objects.get(pk=placed["am"].pk).locked is False


def test_meeting_lock_refuses_a_cancelled_meeting(placed):
    Meeting.objects.filter(pk=placed["am"].pk).update(status=MeetingStatus.CANCELLED)

    with pytest.raises(GridError) as excinfo:
        meeting_lock(meeting=placed["am"], locked=True, by=None)

    assert excinfo.value.messages == [
        "This meeting is “Cancelled”: only a meeting still on can be locked."
    ]


# The database refuses double bookings ---------------------------------------------------


@pytest.mark.parametrize("conflict", ["table", "company", "counterpart"])
def test_database_refuses_a_double_booking(grid, people, placed, conflict):
    first = _slots(grid)[0]
    if conflict == "table":  # another pair, the same table
        meeting_request = _request(people["beta"], _counterpart(grid.mission, "Bay Street"))
        table = 1
    elif conflict == "company":  # Alpha again, another table
        meeting_request = _request(people["alpha"], people["lake"])
        table = 2
    else:  # Maple again, another table
        meeting_request = _request(people["beta"], people["maple"])
        table = 2

    with pytest.raises(IntegrityError), transaction.atomic():
        Meeting.objects.create(
            request=meeting_request,
            slot=first,
            table=table,
            application=meeting_request.application,
            counterpart=meeting_request.counterpart,
        )

    assert Meeting.objects.filter(slot=first).count() == 1


def test_database_accepts_a_meeting_where_a_declined_one_was(grid, people, placed):
    first = _slots(grid)[0]
    Meeting.objects.filter(pk=placed["am"].pk).update(status=MeetingStatus.DECLINED)
    meeting_request = _request(people["alpha"], people["lake"])

    _meeting(meeting_request, first, 1)

    assert Meeting.objects.filter(slot=first, table=1).count() == 2


def test_meeting_move_of_an_invited_meeting_queues_the_new_version_for_both_sides(
    grid, people, placed, handed_over
):
    from companies.tests.factories import MembershipFactory
    from notifications.models import OutboundEmail

    member = MembershipFactory(company=people["alpha"].company).user
    _first, second = _slots(grid)
    Meeting.objects.filter(pk=placed["am"].pk).update(invited_at=timezone.now())

    with transaction.atomic():
        meeting = _move(placed["am"], second, 2, base_url="https://portal.example/")

    assert meeting.sequence == 1
    # The new version (1) of the invitation, reminder and feedback request, to each side.
    assert set(OutboundEmail.objects.values_list("idempotency_key", flat=True)) == {
        f"meeting:{meeting.pk}:{kind}:1:{side}"
        for kind in ("invitation", "reminder", "feedback")
        for side in (f"counterpart:{people['maple'].pk}", f"user:{member.pk}")
    }
    # Each new invitation says it moved, from when and where to when and where.
    from notifications.rendering import render_email

    for email in OutboundEmail.objects.filter(template_key__startswith="meeting_invitation"):
        with translation.override("en"):
            email.language = "en"
            message = render_email(email)
        assert message.subject.split("] ")[-1].startswith("Moved: ")
        assert "This meeting has moved: it was on " in message.body
        assert ", table 1; it is now on " in message.body
        assert ", table 2. The attached invitation replaces the previous one." in message.body
        html = message.alternatives[0][0]
        assert "This meeting has moved" in html
