"""The meeting grid's pages: the grid, its configuration, unavailabilities, the
scheduler's run, moves and locks; who may see and do what, and the query counts."""

import datetime
import re
from pathlib import Path

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from hypothesis import given, settings
from hypothesis import strategies as st

from companies.tests.factories import CompanyFactory
from core.tests.rows import render_before, tags_apart, typed
from delegations.enums import ApplicationStatus
from delegations.tests.factories import ApplicationFactory
from meetings.enums import MeetingRequestStatus, MeetingStatus
from meetings.models import Meeting, MeetingGrid, MeetingRequest, Unavailability
from meetings.services.grid import grid_configure
from meetings.templatetags.grid_tags import participant_items
from meetings.tests.factories import CounterpartFactory, MeetingRequestFactory
from meetings.views.grid import session_to_show, slots_by_day
from missions.tests.factories import OpenMissionFactory

pytestmark = pytest.mark.django_db

LEAK = "LEAKY-COUNTERPART Bay Street Partners"
SCHEDULED = MeetingRequestStatus.SCHEDULED
QUALIFIED = MeetingRequestStatus.QUALIFIED


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def mission():
    start = datetime.date(2027, 7, 6)
    return OpenMissionFactory(
        title="Canada 2027",
        timezone="America/Toronto",
        start_date=start,
        end_date=start + datetime.timedelta(days=4),
    )


def _configure(mission, end="10:00", tables=2):
    return grid_configure(
        mission=mission,
        by=None,
        sessions=[{"date": "2027-07-06", "start": "09:00", "end": end}],
        slot_minutes=30,
        tables=tables,
    ).grid


@pytest.fixture
def grid(mission):
    return _configure(mission)


def _confirmed(mission, company):
    return ApplicationFactory(mission=mission, company=company, status=ApplicationStatus.CONFIRMED)


def _meeting(application, counterpart, slot, table=1, *, priority=2, **fields):
    meeting_request = MeetingRequestFactory(
        application=application, counterpart=counterpart, priority=priority, status=SCHEDULED
    )
    return Meeting.objects.create(
        request=meeting_request,
        slot=slot,
        table=table,
        application=application,
        counterpart=counterpart,
        **fields,
    )


def _slots(grid):
    return list(grid.slots.order_by("starts_at"))


@pytest.fixture
def world(mission, grid, company_member, other_company_member):
    """Company A (``company_member``'s, Transpare) meets the leaky counterpart; company
    B (``other_company_member``'s, Protecto) is in the delegation too."""
    a = _confirmed(mission, company_member.membership.company)
    b = _confirmed(mission, other_company_member.membership.company)
    leaky = CounterpartFactory(mission=mission, organisation=LEAK)
    maple = CounterpartFactory(mission=mission, organisation="Maple Ventures")
    first, _second = _slots(grid)
    meeting = _meeting(a, leaky, first, 1)
    return {"a": a, "b": b, "leaky": leaky, "maple": maple, "meeting": meeting}


def _messages(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def _url(name, *args):
    return reverse(f"meetings:{name}", args=args)


# The grid page ---------------------------------------------------------------------------


def test_grid_page_shows_the_matrix_in_toronto_time_with_paris_beside(
    client, staff_user, mission, world
):
    client.force_login(staff_user)

    response = client.get(_url("grid", mission.pk))

    assert response.status_code == 200
    content = response.content.decode()
    assert re.search(
        r'<a class="fw-semibold" href="/delegations/applications/\d+/agenda/">Transpare</a> ↔ '
        r'<a href="/delegations/counterparts/\d+/agenda/">'
        r"LEAKY-COUNTERPART Bay Street Partners</a>",
        content,
    )
    assert '<time datetime="2027-07-06T09:00:00-04:00">09:00</time>' in content
    assert '<time datetime="2027-07-06T15:00:00+02:00">15:00</time>' in content
    assert "(Toronto time)" in content
    assert "(Paris time)" in content
    assert (
        "Meetings of Tuesday 6 July 2027, 09:00–10:00: a row per slot in Toronto time" in content
    )
    assert '<th scope="col">Table 2</th>' in content
    assert _url("meeting_move", world["meeting"].pk) in content
    assert _url("meeting_lock", world["meeting"].pk) in content
    assert response.context["qualified"] == 1
    assert response.context["placed"] == 1
    assert response.context["unscheduled"] == []
    # Not sent yet: the button to send the invitations says how many.
    assert "Send the invitations (1)" in content
    assert _url("meetings_invite", mission.pk) in content


def test_grid_page_hides_the_invitations_button_when_every_meeting_is_sent(
    client, staff_user, mission, world
):
    Meeting.objects.update(invited_at=timezone.now())
    client.force_login(staff_user)

    content = client.get(_url("grid", mission.pk)).content.decode()

    assert "Send the invitations" not in content
    assert _url("meetings_invite", mission.pk) not in content


def test_grid_page_lists_declined_meetings_apart_and_frees_their_cell(
    client, staff_user, mission, world
):
    Meeting.objects.filter(pk=world["meeting"].pk).update(
        status=MeetingStatus.DECLINED, response_note="2027-06-01: not this time."
    )
    client.force_login(staff_user)

    response = client.get(_url("grid", mission.pk))

    content = response.content.decode()
    assert [m["pk"] for m in response.context["inactive"]] == [world["meeting"].pk]
    assert "Declined by the counterpart or cancelled" in content
    assert f'id="meeting-{world["meeting"].pk}"' not in content
    assert "not this time." in content
    assert response.context["placed"] == 0


def test_grid_page_for_an_official_reads_without_actions(client, official_user, mission, world):
    client.force_login(official_user)

    response = client.get(_url("grid", mission.pk))

    assert response.status_code == 200
    content = response.content.decode()
    assert LEAK in content
    assert _url("meeting_move", world["meeting"].pk) not in content
    assert _url("meeting_lock", world["meeting"].pk) not in content
    assert _url("grid_schedule", mission.pk) not in content
    assert _url("grid_configure", mission.pk) not in content
    assert "Send the invitations" not in content


def test_grid_page_without_grid_invites_to_lay_it_out(client, staff_user):
    mission = OpenMissionFactory()
    client.force_login(staff_user)

    response = client.get(_url("grid", mission.pk))

    assert response.status_code == 200
    content = response.content.decode()
    assert "The grid is not laid out yet: no session, no slot." in content
    assert "Lay out the grid" in content
    assert _url("grid_schedule", mission.pk) not in content


def test_grid_page_unknown_mission_is_a_404(client, staff_user):
    client.force_login(staff_user)

    assert client.get(_url("grid", 999999)).status_code == 404


def _many(mission, grid, count):
    """``count`` meetings (at most 60) over 6 companies and 10 counterparts, without
    any participant or table twice in a slot."""
    companies = [_confirmed(mission, CompanyFactory(name=f"Company {i}")) for i in range(6)]
    counterparts = [
        CounterpartFactory(mission=mission, organisation=f"Partner {j}") for j in range(10)
    ]
    slots = _slots(grid)
    made = 0
    for i, application in enumerate(companies):
        for j, counterpart in enumerate(counterparts):
            if made == count:
                return
            _meeting(application, counterpart, slots[(i + j) % 10], table=i + 1)
            made += 1


@pytest.mark.parametrize("count", [1, 60])
def test_grid_page_query_count_is_the_same_for_1_and_60_meetings(
    client, staff_user, mission, count, django_assert_num_queries
):
    grid = _configure(mission, end="14:00", tables=6)
    _many(mission, grid, count)
    # A request not placed, and a report of the last run in the session.
    MeetingRequestFactory(
        application=_confirmed(mission, CompanyFactory(name="Waiting Co")),
        counterpart=CounterpartFactory(mission=mission, organisation="Far Away"),
        status=QUALIFIED,
    )
    client.force_login(staff_user)
    client.post(_url("grid_schedule", mission.pk))

    # Session, user with its groups (2), the mission with its grid, the counts of requests,
    # the slots, the meetings by slot, the meetings shown, the requests not placed, the
    # workspace's counts.
    with django_assert_num_queries(9):
        response = client.get(_url("grid", mission.pk))

    assert response.context["meeting_count"] >= count


def _two_days(mission):
    """Two sessions on the 6th (09:00-10:00, 14:00-15:00) and one on the 7th."""
    return grid_configure(
        mission=mission,
        by=None,
        sessions=[
            {"date": "2027-07-06", "start": "09:00", "end": "10:00"},
            {"date": "2027-07-06", "start": "14:00", "end": "15:00"},
            {"date": "2027-07-07", "start": "09:00", "end": "10:00"},
        ],
        slot_minutes=30,
        tables=2,
    ).grid


def test_grid_page_shows_one_session_and_links_to_every_other(
    client, staff_user, mission, company_member, other_company_member
):
    grid = _two_days(mission)
    slots = _slots(grid)
    a = _confirmed(mission, company_member.membership.company)
    b = _confirmed(mission, other_company_member.membership.company)
    morning = _meeting(a, CounterpartFactory(mission=mission, organisation="Morning Co"), slots[0])
    _meeting(b, CounterpartFactory(mission=mission, organisation="Afternoon Co"), slots[2])
    _meeting(a, CounterpartFactory(mission=mission, organisation="Next Day Co"), slots[5])
    said_no = CounterpartFactory(mission=mission, organisation="Said No Co")
    declined = _meeting(b, said_no, slots[4])
    Meeting.objects.filter(pk=declined.pk).update(status=MeetingStatus.DECLINED)
    client.force_login(staff_user)

    first = client.get(_url("grid", mission.pk))
    second = client.get(_url("grid", mission.pk) + "?session=2")
    third = client.get(_url("grid", mission.pk) + "?session=3")

    # The mission is to come: the first session shows; the others are a link away.
    content = first.content.decode()
    assert "Morning Co" in content
    assert "Afternoon Co" not in content
    assert "Next Day Co" not in content
    assert 'href="?session=2#meetings">Tuesday 6 July, 14:00–15:00' in content
    assert 'href="?session=3#meetings">Wednesday 7 July, 09:00–10:00' in content
    assert 'aria-current="page" href="?session=1#meetings"' in content
    assert "1 meeting</span>" in content
    assert "Afternoon Co" in second.content.decode()
    assert "Morning Co" not in second.content.decode()
    assert "Next Day Co" in third.content.decode()
    # The counts and the declined meetings are the whole grid's, whatever the session.
    for response in (first, second, third):
        assert response.context["meeting_count"] == 3
        assert response.context["placed"] == 3
        assert [m["pk"] for m in response.context["inactive"]] == [declined.pk]
    assert morning.pk == first.context["shown"].slots[0].cells[0]["pk"]


@pytest.mark.parametrize("asked", ["0", "4", "-1", "two", "1e3", "２", "9" * 5000, "1\n"])
def test_grid_page_session_the_grid_does_not_have_shows_the_default_one(
    client, staff_user, mission, asked
):
    _two_days(mission)
    client.force_login(staff_user)

    response = client.get(_url("grid", mission.pk), {"session": asked})

    assert response.status_code == 200
    assert response.context["shown"].number == 1


def test_grid_page_during_the_mission_opens_on_the_session_not_over_yet(mission):
    grid = _two_days(mission)
    sessions = [s for day in slots_by_day(_slots(grid), mission.zone) for s in day.sessions]
    # Between the morning and the afternoon of the first day.
    during = sessions[0].end + datetime.timedelta(hours=1)

    assert [s.number for s in sessions] == [1, 2, 3]
    assert session_to_show(sessions, "", during) is sessions[1]
    assert session_to_show(sessions, "", sessions[0].start) is sessions[0]
    # Once it is all over, the grid opens on its beginning.
    assert session_to_show(sessions, "", sessions[2].end) is sessions[0]
    # A session asked for wins.
    assert session_to_show(sessions, "3", during) is sessions[2]
    assert session_to_show([], "1", during) is None


# Configuration ---------------------------------------------------------------------------


def _configure_data(rows, slot_minutes="30", tables="4"):
    data = {
        "sessions-TOTAL_FORMS": str(len(rows)),
        "sessions-INITIAL_FORMS": "0",
        "sessions-MIN_NUM_FORMS": "0",
        "sessions-MAX_NUM_FORMS": "40",
        "slot_minutes": slot_minutes,
        "tables": tables,
    }
    for index, (date, start, end) in enumerate(rows):
        data |= {
            f"sessions-{index}-date": date,
            f"sessions-{index}-start": start,
            f"sessions-{index}-end": end,
        }
    return data


def test_grid_configure_page_shows_the_sessions_as_rows(client, staff_user, mission, grid):
    client.force_login(staff_user)

    response = client.get(_url("grid_configure", mission.pk))

    assert response.status_code == 200
    content = response.content.decode()
    assert 'name="sessions-0-date" value="2027-07-06"' in content
    assert 'name="sessions-0-start" value="09:00"' in content
    assert 'name="sessions-0-end" value="10:00"' in content
    assert response.context["formset"].total_form_count() == 3


def test_grid_configure_saves_and_says_what_was_dropped(client, staff_user, mission):
    client.force_login(staff_user)

    response = client.post(
        _url("grid_configure", mission.pk),
        _configure_data([("2027-07-06", "09:00", "10:40"), ("", "", "")]),
    )

    assert response.status_code == 302
    assert response.url == _url("grid", mission.pk)
    assert _messages(response) == [
        "The grid is saved: 3 slots, 4 tables.",
        "Session 1 does not divide into slots of 30 minutes: its last 10 minutes are left out "
        "of the grid.",
    ]
    grid = MeetingGrid.objects.get(mission=mission)
    assert (grid.slots.count(), grid.tables) == (3, 4)


def test_grid_configure_session_out_of_the_portal_years_said_by_its_field(
    client, staff_user, mission
):
    client.force_login(staff_user)

    response = client.post(
        _url("grid_configure", mission.pk),
        _configure_data([("9999-12-31", "09:00", "10:00"), ("0001-01-01", "09:00", "10:00")]),
    )

    assert response.status_code == 200
    formset = response.context["formset"]
    assert [form.errors.get("date") for form in formset.forms[:2]] == [
        ["Enter a date between 1 January 2000 and 31 December 2100."]
    ] * 2
    assert MeetingGrid.objects.filter(mission=mission).count() == 0


def test_grid_configure_errors_sit_by_their_field_with_the_input_kept(client, staff_user, mission):
    client.force_login(staff_user)

    response = client.post(
        _url("grid_configure", mission.pk),
        _configure_data(
            [("2027-07-06", "09:00", "12:00"), ("2027-07-30", "09:00", "10:00")],
            slot_minutes="22",
            tables="3",
        ),
    )

    assert response.status_code == 200
    form, formset = response.context["form"], response.context["formset"]
    assert form.errors == {
        "slot_minutes": ["A slot length is a multiple of 5 minutes (15, 20, 30...)."]
    }
    assert formset.forms[1].errors == {
        "date": [
            "Session 2: 30 July 2027 is not within the mission's dates (6 July 2027 to 10 July "
            "2027)."
        ]
    }
    content = response.content.decode()
    assert 'name="sessions-1-date" value="2027-07-30"' in content
    assert 'name="slot_minutes" value="22"' in content
    assert MeetingGrid.objects.count() == 0


def test_grid_configure_a_row_half_filled_is_an_error_of_the_row(client, staff_user, mission):
    client.force_login(staff_user)

    response = client.post(
        _url("grid_configure", mission.pk), _configure_data([("2027-07-06", "09:00", "")])
    )

    assert response.status_code == 200
    assert response.context["formset"].forms[0].errors == {
        "end": ["Give the date, the start and the end."]
    }


def test_grid_configure_refusal_of_fewer_tables_shows_by_the_tables(
    client, staff_user, mission, world
):
    Meeting.objects.filter(pk=world["meeting"].pk).update(table=2)
    client.force_login(staff_user)

    response = client.post(
        _url("grid_configure", mission.pk),
        _configure_data([("2027-07-06", "09:00", "10:00")], tables="1"),
    )

    assert response.context["form"].errors == {
        "tables": [
            f"Table 2 is in use: Transpare ↔ {LEAK} at 09:00 Toronto time on 6 July 2027. "
            "Move it before lowering the number of tables."
        ]
    }


# The scheduler's run ---------------------------------------------------------------------


def test_grid_schedule_runs_and_the_page_shows_the_report(client, staff_user, mission, world):
    slots = _slots(world["meeting"].slot.grid)
    # Maple is away all morning: its request cannot be placed.
    for slot in slots:
        Unavailability.objects.create(slot=slot, counterpart=world["maple"])
    waiting = MeetingRequestFactory(
        application=world["b"], counterpart=world["maple"], status=QUALIFIED, priority=3
    )
    placed = MeetingRequestFactory(
        application=world["b"], counterpart=world["leaky"], status=QUALIFIED, priority=1
    )
    client.force_login(staff_user)

    response = client.post(_url("grid_schedule", mission.pk))

    assert response.status_code == 302
    assert response.url == _url("grid", mission.pk) + "#report"
    assert _messages(response) == [
        "The scheduler placed 2 meetings and kept 0 where they were; 1 requests could not "
        "be placed."
    ]
    page = client.get(_url("grid", mission.pk))
    content = page.content.decode()
    assert page.context["report"]["placed"] == 2
    assert [r.pk for r in page.context["unscheduled"]] == [waiting.pk]
    assert "Maple Ventures is unavailable in every slot of the grid." in content
    assert MeetingRequest.objects.get(pk=placed.pk).status == SCHEDULED
    assert page.context["placed"] == 2
    assert page.context["qualified"] == 3


def test_grid_schedule_without_grid_says_so(client, staff_user):
    mission = OpenMissionFactory()
    client.force_login(staff_user)

    response = client.post(_url("grid_schedule", mission.pk))

    assert response.status_code == 302
    assert _messages(response) == ["The meeting grid is not laid out yet: set its sessions first."]


# Unavailabilities --------------------------------------------------------------------------


def test_grid_unavailability_page_lists_participants_and_slots(client, staff_user, mission, world):
    first, second = _slots(world["meeting"].slot.grid)
    Unavailability.objects.create(slot=second, counterpart=world["maple"])
    client.force_login(staff_user)

    response = client.get(
        _url("grid_unavailability", mission.pk), {"participant": f"c{world['maple'].pk}"}
    )

    assert response.status_code == 200
    content = response.content.decode()
    assert "Slots in which Maple Ventures cannot meet" in content
    assert f'value="{second.pk}" id="slot-{second.pk}" checked' in content
    assert f'value="{first.pk}" id="slot-{first.pk}">' in content
    assert [p[1] for p in response.context["participants"]] == [
        "Protecto",
        "Transpare",
        LEAK,
        "Maple Ventures",
    ]


def test_grid_unavailability_saves(client, staff_user, mission, world):
    first, second = _slots(world["meeting"].slot.grid)
    client.force_login(staff_user)

    response = client.post(
        _url("grid_unavailability", mission.pk),
        {"participant": f"a{world['b'].pk}", "slots": [first.pk, second.pk]},
    )

    assert response.status_code == 302
    assert _messages(response) == ["Protecto: 2 unavailable slots saved."]
    assert set(
        Unavailability.objects.filter(application=world["b"]).values_list("slot", flat=True)
    ) == {first.pk, second.pk}


def test_grid_unavailability_refused_over_a_meeting_keeps_the_ticks(
    client, staff_user, mission, world
):
    first, second = _slots(world["meeting"].slot.grid)
    client.force_login(staff_user)

    response = client.post(
        _url("grid_unavailability", mission.pk),
        {"participant": f"a{world['a'].pk}", "slots": [first.pk, second.pk]},
    )

    assert response.status_code == 200
    assert response.context["error"] == (
        f"Transpare meets {LEAK} at 09:00 Toronto time on 6 July 2027: move that meeting "
        "before marking the slot unavailable."
    )
    assert f'id="slot-{second.pk}" checked' in response.content.decode()
    assert Unavailability.objects.count() == 0


def test_grid_unavailability_unknown_participant_is_a_404(client, staff_user, mission, world):
    stranger = CounterpartFactory(organisation="Elsewhere")
    client.force_login(staff_user)

    response = client.get(
        _url("grid_unavailability", mission.pk), {"participant": f"c{stranger.pk}"}
    )

    assert response.status_code == 404


# Moves and locks ---------------------------------------------------------------------------


def test_meeting_move_page_offers_the_slots_in_toronto_time(client, staff_user, world):
    client.force_login(staff_user)

    response = client.get(_url("meeting_move", world["meeting"].pk))

    assert response.status_code == 200
    content = response.content.decode()
    assert "09:30 Toronto time on 6 July 2027" in content
    assert f"Move Transpare ↔ {LEAK}" in content


def test_meeting_move_moves_and_locks(client, staff_user, world):
    _first, second = _slots(world["meeting"].slot.grid)
    client.force_login(staff_user)

    response = client.post(
        _url("meeting_move", world["meeting"].pk), {"slot": second.pk, "table": 2}
    )

    assert response.status_code == 302
    assert response.url == _url("grid", world["a"].mission_id) + f"#meeting-{world['meeting'].pk}"
    assert _messages(response) == [
        f"Transpare ↔ {LEAK} is now at table 2, 09:30 Toronto time on 6 July 2027, and locked "
        "there."
    ]
    meeting = Meeting.objects.get(pk=world["meeting"].pk)
    assert (meeting.slot, meeting.table, meeting.locked) == (second, 2, True)


def test_meeting_move_refusal_sits_by_its_field(client, staff_user, world):
    _first, second = _slots(world["meeting"].slot.grid)
    other = _meeting(world["b"], world["maple"], second, 1)
    client.force_login(staff_user)

    response = client.post(
        _url("meeting_move", world["meeting"].pk), {"slot": second.pk, "table": 1}
    )

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "table": [
            "Table 1 is taken at 09:30 Toronto time on 6 July 2027 by Protecto ↔ Maple Ventures."
        ]
    }
    assert other.pk != world["meeting"].pk
    assert Meeting.objects.get(pk=world["meeting"].pk).slot != second


def test_meeting_lock_and_unlock_from_the_grid(client, staff_user, world):
    client.force_login(staff_user)
    url = _url("meeting_lock", world["meeting"].pk)

    response = client.post(url, {"locked": "1"})

    assert _messages(response) == [
        f"Transpare ↔ {LEAK} is locked: the scheduler leaves it where it is."
    ]
    assert Meeting.objects.get(pk=world["meeting"].pk).locked is True
    client.get(response.url)  # the grid page, where the message is read

    response = client.post(url, {"locked": "0"})

    assert _messages(response) == [f"Transpare ↔ {LEAK} is unlocked: the scheduler may move it."]
    assert Meeting.objects.get(pk=world["meeting"].pk).locked is False


# Who may do what ---------------------------------------------------------------------------

PAGES = [
    # (name, method, expected for staff, for an official)
    ("grid", "get", 200, 200),
    ("grid", "post", 405, 405),
    ("grid_configure", "get", 200, 404),
    ("grid_configure", "post", 302, 404),
    ("grid_unavailability", "get", 200, 404),
    ("grid_unavailability", "post", 404, 404),
    ("grid_schedule", "get", 405, 404),
    ("grid_schedule", "post", 302, 404),
    ("meeting_move", "get", 200, 404),
    ("meeting_move", "post", 302, 404),
    ("meeting_lock", "get", 405, 404),
    ("meeting_lock", "post", 302, 404),
]
ROLES = ["anonymous", "company_a", "company_b", "official", "staff"]


def _page_url(name, mission, meeting):
    if name.startswith("meeting_"):
        return _url(name, meeting.pk)
    return _url(name, mission.pk)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("name", "method", "for_staff", "for_official"), PAGES)
def test_grid_permission_matrix(
    client,
    mission,
    world,
    staff_user,
    official_user,
    company_member,
    other_company_member,
    role,
    name,
    method,
    for_staff,
    for_official,
):
    users = {
        "company_a": company_member,
        "company_b": other_company_member,
        "official": official_user,
        "staff": staff_user,
    }
    if role in users:
        client.force_login(users[role])
    meeting = world["meeting"]
    url = _page_url(name, mission, meeting)
    # A move the action would make if it were let through.
    data = {"slot": _slots(meeting.slot.grid)[1].pk, "table": "2", "locked": "1"}
    if name == "grid_configure":
        data = _configure_data([("2027-07-06", "09:00", "09:30")], tables="1")

    response = getattr(client, method)(url, data if method == "post" else None)

    if role == "anonymous":
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))
    elif role in ("company_a", "company_b"):
        assert response.status_code == 404
    elif role == "official":
        assert response.status_code == for_official
    else:
        assert response.status_code == for_staff
    if role != "staff" and not (role == "official" and for_official == 200):
        assert LEAK not in response.content.decode()
        meeting.refresh_from_db()
        assert (meeting.slot_id, meeting.table, meeting.locked) == (
            _slots(meeting.slot.grid)[0].pk,
            1,
            False,
        )
        grid = MeetingGrid.objects.get(mission=mission)
        assert (grid.tables, grid.slots.count()) == (2, 2)


def test_mission_page_links_to_the_grid_for_staff_and_officials_only(
    client, mission, staff_user, official_user, company_member
):
    link = _url("grid", mission.pk)
    for user, shown in ((staff_user, True), (official_user, True), (company_member, False)):
        client.force_login(user)
        content = client.get(mission.get_absolute_url()).content.decode()
        assert (link in content) is shown, user


# The participants written in Python (grid_tags.participant_items) ----------------------

# The list as the template drew it before participant_items: the tag must write the same.
PARTICIPANTS_BEFORE = Path(__file__).parent / "participant_items_before.html"


@given(
    participants=st.lists(
        st.tuples(
            st.from_regex(r"[ac][1-9][0-9]{0,4}", fullmatch=True),
            typed(max_size=30),
            st.booleans(),
            st.integers(0, 30),
        ),
        max_size=5,
    ),
    current=st.one_of(st.just(""), st.from_regex(r"[ac][1-9]", fullmatch=True)),
    language=st.sampled_from(["fr", "en"]),
)
@settings(max_examples=60, deadline=None)
def test_participant_items_write_what_the_template_wrote(participants, current, language):
    unavailable = {key: count for key, _name, _company, count in participants}
    with translation.override(language):
        before = [
            (key, name, _("Company") if company else _("Counterpart"), unavailable[key])
            for key, name, company, _count in participants
        ]
        expected = render_before(
            PARTICIPANTS_BEFORE, {"participants": before, "participant_key": current}
        )
        written = participant_items(
            [(key, name, company) for key, name, company, _count in participants],
            unavailable,
            current,
        )

    assert tags_apart(written) == tags_apart(expected)
