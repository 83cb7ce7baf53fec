"""The history of meeting requests and meetings: each service records exactly one row
(from, to, by, action, detail) in the transaction of its change, the scheduler's run in
bulk (its query count does not grow with the meetings it places); the company's members
are emailed when a counterpart declines; the grid's venue in invitations and agendas;
staff read the history, companies and officials never read staff's names."""

import datetime
import decimal
import zoneinfo

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from companies.models import MembershipStatus
from companies.tests.factories import CompanyFactory, CompanyMemberFactory
from delegations.enums import ApplicationStatus
from delegations.tests.factories import ApplicationFactory
from meetings.enums import MeetingRequestStatus, MeetingStatus
from meetings.models import (
    Meeting,
    MeetingChange,
    MeetingRequest,
    MeetingRequestStatusChange,
    Unavailability,
)
from meetings.services.grid import (
    GridError,
    grid_configure,
    meeting_lock,
    meeting_move,
    meetings_schedule,
)
from meetings.services.invitations import meeting_record_outcome, meeting_respond, meetings_invite
from meetings.services.requests import (
    RequestError,
    meeting_request_create,
    meeting_request_decline,
    meeting_request_qualify,
)
from meetings.tests.factories import CounterpartFactory, MeetingRequestFactory
from meetings.tokens import FEEDBACK, meeting_token
from missions.tests.factories import OpenMissionFactory
from notifications.context import Message
from notifications.models import OutboundEmail
from notifications.rendering import render_email

pytestmark = pytest.mark.django_db

BASE_URL = "https://missions.example/"
REQUESTED = MeetingRequestStatus.REQUESTED
QUALIFIED = MeetingRequestStatus.QUALIFIED
SCHEDULED = MeetingRequestStatus.SCHEDULED
DECLINED = MeetingRequestStatus.DECLINED
Action = MeetingChange.Action


@pytest.fixture(autouse=True)
def _english(settings):
    # The history's details are written in the portal's default language.
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def mission():
    start = datetime.date(2027, 7, 6)
    return OpenMissionFactory(
        title="Canada 2027",
        timezone="America/Toronto",
        cities="Toronto, Montréal",
        start_date=start,
        end_date=start + datetime.timedelta(days=4),
    )


def _configure(mission, *, end="12:00", tables=4, **fields):
    return grid_configure(
        mission=mission,
        by=None,
        sessions=[
            {"date": "2027-07-06", "start": "09:00", "end": end},
            {"date": "2027-07-07", "start": "09:00", "end": "10:00"},
        ],
        slot_minutes=30,
        tables=tables,
        **fields,
    ).grid


@pytest.fixture
def grid(mission):
    return _configure(mission)


def _slots(grid):
    return list(grid.slots.order_by("starts_at"))


@pytest.fixture
def company():
    return CompanyFactory(name="Transpare")


@pytest.fixture
def members(company):
    """Two active members, one French and one English, and one awaiting approval; named,
    so that a random name never shares one with the staff member (Sophie Martin)."""
    french = CompanyMemberFactory(
        email="ali@transpare.example",
        first_name="Ali",
        last_name="Messoudi",
        language="fr",
        membership__company=company,
    )
    english = CompanyMemberFactory(
        email="jo@transpare.example",
        first_name="Jo",
        last_name="Baker",
        language="en",
        membership__company=company,
    )
    CompanyMemberFactory(
        email="pending@transpare.example",
        membership__company=company,
        membership__status=MembershipStatus.PENDING,
    )
    return french, english


@pytest.fixture
def application(mission, company, members):
    return ApplicationFactory(mission=mission, company=company, status=ApplicationStatus.CONFIRMED)


@pytest.fixture
def maple(mission):
    return CounterpartFactory(
        mission=mission,
        organisation="Maple Ventures",
        contact_name="Jane Doe",
        email="jane@maple.example",
        language="en",
    )


def _meeting(application, counterpart, slot, table=1, **fields) -> Meeting:
    meeting_request = MeetingRequestFactory(
        application=application, counterpart=counterpart, status=SCHEDULED
    )
    return Meeting.objects.create(
        request=meeting_request,
        slot=slot,
        table=table,
        application=application,
        counterpart=counterpart,
        **fields,
    )


@pytest.fixture
def meeting(grid, application, maple):
    """Transpare ↔ Maple Ventures at 09:00 Toronto time on 6 July 2027, table 1."""
    return _meeting(application, maple, _slots(grid)[0])


def _request_rows(meeting_request=None):
    rows = MeetingRequestStatusChange.objects.order_by("pk")
    if meeting_request is not None:
        rows = rows.filter(request=meeting_request)
    return [(r.from_status, r.to_status, r.changed_by) for r in rows]


def _meeting_rows(meeting):
    return [
        (c.action, c.from_status, c.to_status, c.changed_by, c.detail)
        for c in MeetingChange.objects.filter(meeting=meeting).order_by("pk")
    ]


# Meeting requests -------------------------------------------------------------------------


def test_meeting_request_create_records_requested_by_its_author(
    application, maple, members, staff_user
):
    meeting_request = meeting_request_create(
        application=application,
        counterpart=maple,
        by=members[0],
        priority=3,
        rationale="A distributor in Ontario.",
        origin="company",
    )

    assert _request_rows(meeting_request) == [("", REQUESTED, members[0])]


def test_meeting_request_qualify_records_one_change_by_staff(application, maple, staff_user):
    meeting_request = MeetingRequestFactory(
        application=application, counterpart=maple, status=REQUESTED
    )

    meeting_request_qualify(
        request=meeting_request, by=staff_user, purpose="Distribution", qualification_note=""
    )

    assert _request_rows(meeting_request) == [(REQUESTED, QUALIFIED, staff_user)]


def test_meeting_request_decline_records_one_change_from_qualified(application, maple, staff_user):
    meeting_request = MeetingRequestFactory(
        application=application, counterpart=maple, status=QUALIFIED
    )

    meeting_request_decline(request=meeting_request, by=staff_user, reason="Out of scope.")

    assert _request_rows(meeting_request) == [(QUALIFIED, DECLINED, staff_user)]


def test_meeting_request_refused_change_records_nothing(application, maple, staff_user):
    meeting_request = MeetingRequestFactory(
        application=application, counterpart=maple, status=DECLINED, decline_reason="No."
    )

    with pytest.raises(RequestError):
        meeting_request_qualify(
            request=meeting_request, by=staff_user, purpose="Distribution", qualification_note=""
        )

    assert _request_rows() == []


# The scheduler's run -------------------------------------------------------------------


def test_meetings_schedule_records_each_placement_and_request_by_who_ran_it(
    mission, grid, application, maple, staff_user
):
    meeting_request = MeetingRequestFactory(
        application=application, counterpart=maple, status=QUALIFIED
    )

    meetings_schedule(mission=mission, by=staff_user)

    meeting = Meeting.objects.get(request=meeting_request)
    assert _meeting_rows(meeting) == [
        (
            Action.PLACED,
            "",
            MeetingStatus.SCHEDULED,
            staff_user,
            "09:00 Toronto time on 6 July 2027, table 1",
        )
    ]
    assert _request_rows() == [(QUALIFIED, SCHEDULED, staff_user)]


def test_meetings_schedule_gives_back_the_request_of_a_draft_it_removes(
    mission, grid, application, maple, staff_user
):
    draft = _meeting(application, maple, _slots(grid)[0])
    # The company can no longer meet at any time of the grid: the draft goes.
    Unavailability.objects.bulk_create(
        [Unavailability(slot=slot, application=application) for slot in _slots(grid)]
    )

    report = meetings_schedule(mission=mission, by=staff_user)

    assert report.placed == 0
    assert Meeting.objects.filter(pk=draft.pk).exists() is False
    assert MeetingRequest.objects.get(pk=draft.request_id).status == QUALIFIED
    assert _request_rows() == [(SCHEDULED, QUALIFIED, staff_user)]
    assert MeetingChange.objects.count() == 0


def test_meetings_schedule_run_without_staff_records_no_one(mission, grid, application, maple):
    MeetingRequestFactory(application=application, counterpart=maple, status=QUALIFIED)

    meetings_schedule(mission=mission, by=None)

    assert list(MeetingChange.objects.values_list("action", "changed_by")) == [
        (Action.PLACED, None)
    ]
    assert _request_rows() == [(QUALIFIED, SCHEDULED, None)]


@pytest.mark.parametrize(("companies", "counterparts"), [(1, 2), (4, 5)])
def test_meetings_schedule_query_count_same_for_2_and_20_meetings(
    mission, grid, staff_user, django_assert_num_queries, companies, counterparts
):
    applications = [
        ApplicationFactory(mission=mission, status=ApplicationStatus.CONFIRMED)
        for _ in range(companies)
    ]
    others = [CounterpartFactory(mission=mission) for _ in range(counterparts)]
    for application in applications:
        for counterpart in others:
            MeetingRequestFactory(
                application=application, counterpart=counterpart, status=QUALIFIED
            )

    # The grid and what the solver is given (7); a savepoint, the grid and its meetings
    # locked, the same read again (6); the meetings, their "placed" rows, the requests
    # to schedule, their status and their rows (5); the grid's last run of the objective
    # (1); the savepoint released.
    with django_assert_num_queries(23):
        report = meetings_schedule(mission=mission, by=staff_user)

    placed = companies * counterparts
    assert report.placed == placed
    assert MeetingChange.objects.filter(action=Action.PLACED, changed_by=staff_user).count() == (
        placed
    )
    assert MeetingRequestStatusChange.objects.filter(
        from_status=QUALIFIED, to_status=SCHEDULED, changed_by=staff_user
    ).count() == (placed)


# Moves and locks --------------------------------------------------------------------------


def test_meeting_move_records_slots_and_tables_in_toronto_time(grid, meeting, staff_user):
    second = _slots(grid)[1]

    meeting_move(meeting=meeting, slot=second, table=3, by=staff_user)

    assert _meeting_rows(meeting) == [
        (
            Action.MOVED,
            MeetingStatus.SCHEDULED,
            MeetingStatus.SCHEDULED,
            staff_user,
            "09:00 → 09:30 Toronto time on 6 July 2027, table 1 → 3",
        )
    ]


def test_meeting_move_to_another_day_says_both_days(grid, meeting, staff_user):
    next_day = _slots(grid)[-1]  # 09:30 on 7 July

    meeting_move(meeting=meeting, slot=next_day, table=1, by=staff_user)

    [change] = MeetingChange.objects.filter(meeting=meeting)
    assert change.detail == "6 July 2027 09:00 → 7 July 2027 09:30 Toronto time, table 1"


def test_meeting_move_of_an_accepted_meeting_records_it_back_to_scheduled(
    grid, meeting, staff_user
):
    Meeting.objects.filter(pk=meeting.pk).update(
        invited_at=timezone.now(), status=MeetingStatus.CONFIRMED
    )

    meeting_move(meeting=meeting, slot=_slots(grid)[0], table=2, by=staff_user)

    assert _meeting_rows(meeting) == [
        (
            Action.MOVED,
            MeetingStatus.CONFIRMED,
            MeetingStatus.SCHEDULED,
            staff_user,
            "09:00 Toronto time on 6 July 2027, table 1 → 2",
        )
    ]


def test_meeting_move_refused_records_nothing(grid, meeting, application, staff_user):
    other = CounterpartFactory(mission=meeting.application.mission)
    _meeting(application, other, _slots(grid)[1])

    with pytest.raises(GridError):
        meeting_move(meeting=meeting, slot=_slots(grid)[1], table=2, by=staff_user)

    assert MeetingChange.objects.count() == 0


def test_meeting_lock_records_locked_then_unlocked_and_nothing_when_unchanged(meeting, staff_user):
    meeting_lock(meeting=meeting, locked=True, by=staff_user)
    meeting_lock(meeting=meeting, locked=True, by=staff_user)
    meeting_lock(meeting=meeting, locked=False, by=staff_user)

    scheduled = MeetingStatus.SCHEDULED
    assert _meeting_rows(meeting) == [
        (Action.LOCKED, scheduled, scheduled, staff_user, ""),
        (Action.UNLOCKED, scheduled, scheduled, staff_user, ""),
    ]


# Invitations and answers ---------------------------------------------------------------


def test_meetings_invite_records_one_invited_per_meeting(
    mission, grid, meeting, application, staff_user
):
    second = _meeting(application, CounterpartFactory(mission=mission), _slots(grid)[1])

    meetings_invite(mission=mission, by=staff_user, base_url=BASE_URL)
    meetings_invite(mission=mission, by=staff_user, base_url=BASE_URL)

    scheduled = MeetingStatus.SCHEDULED
    for one in (meeting, second):
        assert _meeting_rows(one) == [(Action.INVITED, scheduled, scheduled, staff_user, "")]


def test_meeting_respond_accept_records_accepted_by_the_counterpart(meeting):
    answered = meeting_respond(meeting=meeting, accept=True, note="  See you there.  ")

    assert answered.response_note == "See you there."
    assert _meeting_rows(meeting) == [
        (Action.ACCEPTED, MeetingStatus.SCHEDULED, MeetingStatus.CONFIRMED, None, "See you there.")
    ]
    assert OutboundEmail.objects.filter(template_key="meeting_declined").count() == 0


def test_meeting_respond_decline_after_accepting_keeps_the_latest_message(meeting):
    meeting_respond(meeting=meeting, accept=True, note="See you there.")

    declined = meeting_respond(meeting=meeting, accept=False)

    assert declined.response_note == ""
    assert _meeting_rows(meeting) == [
        (
            Action.ACCEPTED,
            MeetingStatus.SCHEDULED,
            MeetingStatus.CONFIRMED,
            None,
            "See you there.",
        ),
        (Action.DECLINED, MeetingStatus.CONFIRMED, MeetingStatus.DECLINED, None, ""),
    ]


def test_meeting_respond_long_message_shortened_in_the_history(meeting):
    note = "Sorry. " + "x" * 1990

    meeting_respond(meeting=meeting, accept=False, note=note)

    [change] = MeetingChange.objects.filter(meeting=meeting)
    assert len(change.detail) == 300
    assert change.detail.startswith("Sorry. xxx")
    assert change.detail.endswith("…")
    meeting.refresh_from_db()
    assert meeting.response_note == note


def test_meeting_respond_decline_emails_each_active_member_in_their_language(
    mission, meeting, members
):
    french, english = members

    meeting_respond(meeting=meeting, accept=False, note="Our CEO is away.", base_url=BASE_URL)

    emails = OutboundEmail.objects.filter(template_key="meeting_declined").order_by("recipient")
    assert [(e.recipient, e.language) for e in emails] == [
        ("ali@transpare.example", "fr"),
        ("jo@transpare.example", "en"),
    ]
    assert [e.idempotency_key for e in emails] == [
        f"meeting:{meeting.pk}:declined:0:user:{french.pk}",
        f"meeting:{meeting.pk}:declined:0:user:{english.pk}",
    ]
    agenda = BASE_URL.rstrip("/") + reverse(
        "meetings:agenda", kwargs={"pk": meeting.application_id}
    )
    context = emails[1].context
    assert context["other_party"] == "Maple Ventures"
    assert context["message"] == "Our CEO is away."
    assert context["agenda_url"] == agenda
    assert context["location"] == "Toronto"
    assert context["starts_at"] == datetime.datetime(
        2027, 7, 6, 9, 0, tzinfo=zoneinfo.ZoneInfo("America/Toronto")
    )
    message = render_email(emails[1])
    assert (
        message.subject == "Maple Ventures declined your meeting of 6 July, 09:00 (Toronto time)"
    )
    assert "Our CEO is away." in message.body
    assert agenda in message.body
    assert "09:00 (Toronto time)" in message.body
    # The meeting leaves the calendar its invitation put it in.
    [cancellation] = message.attachments
    assert cancellation.mimetype == "text/calendar; method=CANCEL"
    assert f"UID:meeting-{meeting.pk}@marseille.fr" in cancellation.content.split("\r\n")


def test_meeting_respond_decline_without_message_says_none(meeting, members):
    meeting_respond(meeting=meeting, accept=False, base_url=BASE_URL)

    email = OutboundEmail.objects.get(
        template_key="meeting_declined", recipient="jo@transpare.example"
    )
    assert email.context["message"] == ""
    assert "Message from" not in render_email(email).body


# Feedback and outcomes -----------------------------------------------------------------


@pytest.fixture
def past(mission, application, maple):
    """A meeting that took place two hours ago, outside the grid's sessions."""
    from meetings.models import MeetingSlot

    starts_at = timezone.now().replace(microsecond=0) - datetime.timedelta(hours=2)
    slot = MeetingSlot.objects.create(
        grid=_configure(mission),
        starts_at=starts_at,
        ends_at=starts_at + datetime.timedelta(minutes=30),
    )
    return _meeting(application, maple, slot)


def test_counterpart_feedback_records_feedback_and_keeps_the_comment_apart(past):
    meeting = meeting_record_outcome(
        meeting=past, by=None, side="counterpart", counterpart_rating=4, comment=" Useful. "
    )

    assert meeting.counterpart_comment == "Useful."
    assert meeting.response_note == ""
    scheduled = MeetingStatus.SCHEDULED
    assert _meeting_rows(past) == [
        (Action.FEEDBACK, scheduled, scheduled, None, "counterpart's rating 4/5; “Useful.”")
    ]


def test_meeting_record_outcome_by_staff_records_the_fields_set(past, staff_user):
    meeting_record_outcome(
        meeting=past,
        by=staff_user,
        side="both",
        status=MeetingStatus.HELD,
        company_rating=5,
        follow_up_stage="negotiation",
        leads=2,
        estimated_value=decimal.Decimal("15000.00"),
        counterpart_rating=4,
    )

    assert _meeting_rows(past) == [
        (
            Action.OUTCOME,
            MeetingStatus.SCHEDULED,
            MeetingStatus.HELD,
            staff_user,
            "Held; company's rating 5/5; follow-up stage: Negotiation; leads 2; "
            "estimated value 15000.00 €; counterpart's rating 4/5",
        )
    ]


def test_meeting_record_outcome_by_the_company_records_its_member(past, members):
    meeting_record_outcome(
        meeting=past, by=members[1], side="company", company_rating=3, follow_up_stage="none"
    )

    scheduled = MeetingStatus.SCHEDULED
    assert _meeting_rows(past) == [
        (
            Action.OUTCOME,
            scheduled,
            scheduled,
            members[1],
            "company's rating 3/5; follow-up stage: No further contact",
        )
    ]


# The grid's venue --------------------------------------------------------------------------


def test_grid_configure_sets_the_venue_and_keeps_it_when_not_given(mission):
    grid = _configure(mission, venue="  MaRS Discovery District  ")
    assert grid.venue == "MaRS Discovery District"

    grid = _configure(mission, tables=6)

    grid.refresh_from_db()
    assert (grid.venue, grid.tables) == ("MaRS Discovery District", 6)


def test_grid_configure_venue_too_long_refused_by_its_field(mission):
    with pytest.raises(GridError) as refused:
        _configure(mission, venue="x" * 301)

    assert list(refused.value.error_dict) == ["venue"]
    assert refused.value.error_dict["venue"][0].code == "too_long"


def _ics_location(email) -> str:
    [attachment] = render_email(email).attachments
    # A folded line of the .ics continues on the next one, after a space.
    text = attachment.content.replace("\r\n ", "")
    return next(line for line in text.split("\r\n") if line.startswith("LOCATION:"))


def test_meetings_invite_gives_the_grid_venue_in_context_and_ics(
    mission, grid, meeting, staff_user
):
    grid.venue = "MaRS Discovery District"
    grid.save()

    meetings_invite(mission=mission, by=staff_user, base_url=BASE_URL)

    to_counterpart = OutboundEmail.objects.get(template_key="meeting_invitation_counterpart")
    to_member = OutboundEmail.objects.get(
        template_key="meeting_invitation", recipient="jo@transpare.example"
    )
    for email in (to_counterpart, to_member):
        assert email.context["location"] == "MaRS Discovery District"
        assert email.context["event"]["location"] == Message(
            "%(place)s — table %(table)s", {"place": "MaRS Discovery District", "table": 1}
        )
        assert _ics_location(email) == "LOCATION:MaRS Discovery District — table 1"
        assert "MaRS Discovery District, table 1" in render_email(email).body


def test_meetings_invite_without_venue_gives_the_first_city(mission, meeting, staff_user):
    meetings_invite(mission=mission, by=staff_user, base_url=BASE_URL)

    email = OutboundEmail.objects.get(template_key="meeting_invitation_counterpart")
    assert email.context["location"] == "Toronto"
    assert _ics_location(email) == "LOCATION:Toronto — table 1"


def test_company_agenda_and_ics_give_the_venue(client, grid, meeting, members):
    grid.venue = "MaRS Discovery District"
    grid.save()
    Meeting.objects.filter(pk=meeting.pk).update(invited_at=timezone.now())
    client.force_login(members[1])

    page = client.get(reverse("meetings:agenda", kwargs={"pk": meeting.application_id}))
    ics = client.get(reverse("meetings:agenda_ics", kwargs={"pk": meeting.application_id}))

    assert "Canada 2027 · MaRS Discovery District" in page.content.decode()
    assert "LOCATION:MaRS Discovery District — table 1" in ics.content.decode().replace(
        "\r\n ", ""
    )


def test_feedback_page_gives_the_venue(client, grid, past):
    grid.venue = "MaRS Discovery District"
    grid.save()
    url = reverse("meetings:counterpart_feedback", kwargs={"token": meeting_token(past, FEEDBACK)})

    response = client.get(url)

    assert "MaRS Discovery District, table 1" in response.content.decode()


def test_grid_configure_page_saves_the_venue(client, staff_user, mission, grid):
    client.force_login(staff_user)
    url = reverse("meetings:grid_configure", args=[mission.pk])
    assert client.get(url).context["form"].initial["venue"] == ""

    response = client.post(
        url,
        {
            "sessions-TOTAL_FORMS": 1,
            "sessions-INITIAL_FORMS": 0,
            "sessions-0-date": "2027-07-06",
            "sessions-0-start": "09:00",
            "sessions-0-end": "12:00",
            "slot_minutes": 30,
            "tables": 4,
            "venue": "MaRS Discovery District",
        },
    )

    assert response.status_code == 302
    grid.refresh_from_db()
    assert grid.venue == "MaRS Discovery District"
    assert client.get(url).context["form"].initial["venue"] == "MaRS Discovery District"


# What staff read, and who does not --------------------------------------------------------


def test_meeting_move_page_shows_the_history_to_staff(client, grid, meeting, staff_user):
    meeting_lock(meeting=meeting, locked=True, by=staff_user)
    meeting_respond(meeting=meeting, accept=True, note="Looking forward.")
    MeetingChange.objects.create(
        meeting=meeting, action=Action.PLACED, from_status="", to_status="scheduled"
    )
    client.force_login(staff_user)

    response = client.get(reverse("meetings:meeting_move", args=[meeting.pk]))

    authors = [change.author for change in response.context["changes"]]
    assert authors == ["Sophie Martin", "The counterpart", "The scheduler"]
    content = response.content.decode()
    assert 'data-change="locked"' in content
    assert "Looking forward." in content
    assert "Scheduled → Confirmed" in content


def test_meeting_move_page_is_a_404_to_officials_and_companies(
    client, meeting, official_user, members
):
    url = reverse("meetings:meeting_move", args=[meeting.pk])
    for user in (official_user, members[1]):
        client.force_login(user)
        assert client.get(url).status_code == 404


def test_requests_list_says_who_qualified_and_declined_to_staff_only(
    client, mission, application, maple, staff_user, official_user
):
    qualified = MeetingRequestFactory(application=application, counterpart=maple, status=REQUESTED)
    meeting_request_qualify(
        request=qualified, by=staff_user, purpose="Distribution", qualification_note=""
    )
    declined = MeetingRequestFactory(
        application=application, counterpart=CounterpartFactory(mission=mission)
    )
    meeting_request_decline(request=declined, by=staff_user, reason="Out of scope.")
    url = reverse("meetings:requests", args=[mission.pk])

    client.force_login(staff_user)
    content = client.get(url).content.decode()
    client.force_login(official_user)
    official = client.get(url).content.decode()

    assert content.count("Qualified by Sophie Martin, ") == 1
    assert content.count("Declined by Sophie Martin, ") == 1
    assert "Sophie Martin" not in official


def test_company_pages_never_name_staff(client, mission, application, maple, members, staff_user):
    meeting_request = MeetingRequestFactory(
        application=application, counterpart=maple, status=REQUESTED
    )
    meeting_request_qualify(
        request=meeting_request, by=staff_user, purpose="Distribution", qualification_note=""
    )
    grid = _configure(mission)
    meetings_schedule(mission=mission, by=staff_user)
    meetings_invite(mission=mission, by=staff_user, base_url=BASE_URL)
    client.force_login(members[1])

    pages = [
        client.get(reverse("meetings:company_requests", kwargs={"pk": application.pk})),
        client.get(reverse("meetings:agenda", kwargs={"pk": application.pk})),
    ]

    assert grid.pk
    for page in pages:
        assert page.status_code == 200
        assert "Sophie" not in page.content.decode()
        assert "Martin" not in page.content.decode()


@pytest.mark.parametrize(
    ("language", "written"),
    [
        ("fr", "6 juillet 2027, 09:00 → 09:30 (heure de Toronto), table 1 → 2"),
        ("en", "09:00 → 09:30 Toronto time on 6 July 2027, table 1 → 2"),
    ],
)
def test_a_move_reads_in_the_readers_language(
    client, grid, meeting, staff_user, language, written
):
    """What the history says of a move is written in each language when it is recorded:
    a French reader and an English one each read their own."""
    meeting_move(meeting=meeting, slot=_slots(grid)[1], table=2, by=staff_user)
    client.force_login(staff_user)
    client.cookies["django_language"] = language

    page = client.get(reverse("meetings:meeting_move", args=[meeting.pk])).content.decode()

    assert written in page
