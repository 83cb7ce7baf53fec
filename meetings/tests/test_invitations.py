"""Meeting invitations, answers, moves and outcomes (meetings.services.invitations):
the exact emails to each side in its language, the .ics they carry, reminders and
feedback requests at 09:00 destination time across a daylight-saving change, idempotence,
a move, a decline that frees the slot, and the outcome's validation."""

import datetime
import decimal
import zoneinfo

import pytest
from django.core.exceptions import NON_FIELD_ERRORS
from django.urls import reverse
from django.utils import timezone

from companies.models import MembershipStatus
from companies.tests.factories import CompanyFactory, CompanyMemberFactory
from delegations.enums import ApplicationStatus
from delegations.tests.factories import ApplicationFactory
from meetings.enums import MeetingStatus
from meetings.models import Meeting, MeetingGrid, MeetingSlot
from meetings.services.invitations import (
    MeetingError,
    invitations_preview,
    meeting_moved,
    meeting_record_outcome,
    meeting_respond,
    meetings_invite,
)
from meetings.tests.factories import CounterpartFactory, MeetingRequestFactory
from missions.tests.factories import OpenMissionFactory, SectorFactory
from notifications.context import Translated
from notifications.models import EmailStatus, OutboundEmail
from notifications.rendering import render_email

pytestmark = pytest.mark.django_db

TORONTO = zoneinfo.ZoneInfo("America/Toronto")
BASE_URL = "https://missions.example/"
UTC = datetime.UTC
# Daylight-saving time ends in Toronto on Sunday 7 November 2027 at 02:00.
SATURDAY_10H = datetime.datetime(2027, 11, 6, 10, 0, tzinfo=TORONTO)  # 14:00 UTC (EDT)
MONDAY_10H = datetime.datetime(2027, 11, 8, 10, 0, tzinfo=TORONTO)  # 15:00 UTC (EST)


def _utc(*args) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=UTC)


def _slot(mission, starts_at, minutes=30) -> MeetingSlot:
    grid, _ = MeetingGrid.objects.get_or_create(mission=mission, defaults={"tables": 5})
    slot, _ = MeetingSlot.objects.get_or_create(
        grid=grid,
        starts_at=starts_at,
        defaults={"ends_at": starts_at + datetime.timedelta(minutes=minutes)},
    )
    return slot


def _meeting(application, counterpart, starts_at, *, table=1, **fields) -> Meeting:
    request = MeetingRequestFactory(
        application=application, counterpart=counterpart, status="scheduled"
    )
    return Meeting.objects.create(
        request=request,
        slot=_slot(application.mission, starts_at),
        table=table,
        application=application,
        counterpart=counterpart,
        **fields,
    )


@pytest.fixture
def mission():
    return OpenMissionFactory(
        title="Canada 2027", slug="canada-2027", timezone="America/Toronto", cities="Toronto"
    )


@pytest.fixture
def company():
    company = CompanyFactory(name="Transpare", description="Maritime traceability.")
    company.sectors.add(
        SectorFactory(code="numerique", name_fr="Numérique", name_en="Digital"),
    )
    return company


@pytest.fixture
def members(company):
    """Two active members, one French and one English, and one awaiting approval."""
    french = CompanyMemberFactory(
        email="ali@transpare.example", language="fr", membership__company=company
    )
    english = CompanyMemberFactory(
        email="jo@transpare.example", language="en", membership__company=company
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


@pytest.fixture
def erable(mission):
    return CounterpartFactory(
        mission=mission,
        organisation="Capital Érable",
        contact_name="Luc Tremblay",
        email="luc@erable.example",
        language="fr",
    )


@pytest.fixture
def saturday(application, maple):
    return _meeting(application, maple, SATURDAY_10H, table=2)


@pytest.fixture
def monday(application, erable):
    return _meeting(application, erable, MONDAY_10H, table=3)


def _rows(kind, meeting=None):
    emails = OutboundEmail.objects.filter(template_key=kind)
    if meeting is not None:
        emails = emails.filter(idempotency_key__startswith=f"meeting:{meeting.pk}:")
    return {(e.recipient, e.language, e.scheduled_at) for e in emails}


def _ics(email: OutboundEmail) -> list[str]:
    [attachment] = render_email(email).attachments
    return attachment.content.split("\r\n")


# Invitations ------------------------------------------------------------------------


def test_meetings_invite_each_side_in_its_language(mission, saturday, monday, staff_user):
    count = meetings_invite(mission=mission, by=staff_user, base_url=BASE_URL)

    assert count == 2
    invitations = {
        (e.template_key, e.recipient, e.language)
        for e in OutboundEmail.objects.filter(template_key__startswith="meeting_invitation")
    }
    assert invitations == {
        ("meeting_invitation_counterpart", "jane@maple.example", "en"),
        ("meeting_invitation_counterpart", "luc@erable.example", "fr"),
        ("meeting_invitation", "ali@transpare.example", "fr"),
        ("meeting_invitation", "jo@transpare.example", "en"),
    }
    # Two meetings: two invitations per company member, one per counterpart.
    assert OutboundEmail.objects.filter(template_key="meeting_invitation").count() == 4
    saturday.refresh_from_db()
    assert saturday.invited_at is not None


def test_the_preview_is_what_would_be_sent_and_sends_nothing(
    mission, saturday, monday, staff_user
):
    preview = invitations_preview(mission=mission, base_url=BASE_URL)

    # Nothing written, nothing invited: the preview was rolled back.
    assert OutboundEmail.objects.count() == 0
    assert Meeting.objects.filter(invited_at__isnull=False).count() == 0
    assert preview.meetings == 2
    assert preview.counts == {
        ("meeting_invitation", "en"): 2,
        ("meeting_invitation", "fr"): 2,
        ("meeting_invitation_counterpart", "en"): 1,
        ("meeting_invitation_counterpart", "fr"): 1,
    }
    # Then sent: the first counterpart's invitation reads as the preview showed it.
    meetings_invite(mission=mission, by=staff_user, base_url=BASE_URL)
    sent = render_email(
        OutboundEmail.objects.filter(template_key="meeting_invitation_counterpart")
        .order_by("pk")
        .first()
    )
    shown = preview.samples[0]
    assert (shown.to, shown.subject) == (sent.to, sent.subject)

    # The signed links are made anew (their signatures carry the time); the rest is word
    # for word.
    def strip(body):
        return [line for line in body.splitlines() if not ("/answer/" in line or "?t=" in line)]

    assert strip(shown.body) == strip(sent.body)


def test_the_invitations_page_asks_before_sending(client, mission, saturday, staff_user):
    client.force_login(staff_user)
    client.cookies["django_language"] = "en"
    url = reverse("meetings:meetings_invite", args=[mission.pk])

    page = client.get(url)

    assert page.status_code == 200
    assert "1 meeting is not invited yet." in page.content.decode()
    assert OutboundEmail.objects.count() == 0
    response = client.post(url)
    assert response["Location"] == reverse("meetings:grid", args=[mission.pk])
    assert Meeting.objects.get(pk=saturday.pk).invited_at is not None
    # Nothing left to invite: the page says so and goes back to the grid.
    assert client.get(url)["Location"] == reverse("meetings:grid", args=[mission.pk])


def test_meetings_invite_counterpart_email_has_signed_link_ics_and_company(
    mission, saturday, staff_user
):
    meetings_invite(mission=mission, by=staff_user, base_url=BASE_URL)

    email = OutboundEmail.objects.get(template_key="meeting_invitation_counterpart")
    message = render_email(email)
    assert email.context["respond_url"].startswith(BASE_URL + "delegations/meetings/answer/")
    # The sectors' names in every language: the email shows its recipient's (English).
    assert email.context["company_sectors"] == [Translated({"fr": "Numérique", "en": "Digital"})]
    assert "Sectors: Digital" in message.body.splitlines()
    assert email.context["respond_url"] in message.body
    assert "Transpare" in message.subject
    assert "Maritime traceability." in message.body
    assert "10:00 (Toronto time)" in message.body
    lines = _ics(email)
    assert "DTSTART:20271106T140000Z" in lines
    assert "DTEND:20271106T143000Z" in lines
    assert "SEQUENCE:0" in lines
    assert f"UID:meeting-{saturday.pk}@" in "\n".join(lines)


def test_meetings_invite_company_email_links_agenda_in_member_language(
    mission, saturday, application, staff_user
):
    meetings_invite(mission=mission, by=staff_user, base_url=BASE_URL)

    french = OutboundEmail.objects.get(
        template_key="meeting_invitation", recipient="ali@transpare.example"
    )
    message = render_email(french)
    assert (
        french.context["agenda_url"]
        == f"{BASE_URL}delegations/applications/{application.pk}/agenda/"
    )
    assert "Bonjour" in message.body
    assert "10:00 (heure de Toronto)" in message.body
    assert "DTSTART:20271106T140000Z" in _ics(french)


def test_meetings_invite_reminder_and_feedback_at_nine_destination_time_across_dst(
    mission, saturday, monday, staff_user
):
    meetings_invite(mission=mission, by=staff_user, base_url=BASE_URL)

    # Saturday 6 Nov 10:00 EDT: reminder Friday 5 Nov 09:00 EDT, feedback Sunday
    # 7 Nov 09:00 EST (after the change).
    assert _rows("meeting_tomorrow", saturday) == {
        ("jane@maple.example", "en", _utc(2027, 11, 5, 13, 0)),
        ("ali@transpare.example", "fr", _utc(2027, 11, 5, 13, 0)),
        ("jo@transpare.example", "en", _utc(2027, 11, 5, 13, 0)),
    }
    assert _rows("meeting_feedback", saturday) == {
        ("jane@maple.example", "en", _utc(2027, 11, 7, 14, 0)),
        ("ali@transpare.example", "fr", _utc(2027, 11, 7, 14, 0)),
        ("jo@transpare.example", "en", _utc(2027, 11, 7, 14, 0)),
    }
    # Monday 8 Nov 10:00 EST: reminder Sunday 7 Nov 09:00 EST, feedback Tuesday 09:00 EST.
    assert _rows("meeting_tomorrow", monday) == {
        ("luc@erable.example", "fr", _utc(2027, 11, 7, 14, 0)),
        ("ali@transpare.example", "fr", _utc(2027, 11, 7, 14, 0)),
        ("jo@transpare.example", "en", _utc(2027, 11, 7, 14, 0)),
    }
    assert _rows("meeting_feedback", monday) == {
        ("luc@erable.example", "fr", _utc(2027, 11, 9, 14, 0)),
        ("ali@transpare.example", "fr", _utc(2027, 11, 9, 14, 0)),
        ("jo@transpare.example", "en", _utc(2027, 11, 9, 14, 0)),
    }


def test_meetings_invite_feedback_links_signed_for_counterpart_outcome_page_for_company(
    mission, saturday, staff_user
):
    meetings_invite(mission=mission, by=staff_user, base_url=BASE_URL)

    urls = {
        e.recipient: e.context["feedback_url"]
        for e in OutboundEmail.objects.filter(template_key="meeting_feedback")
    }
    assert urls["jane@maple.example"].startswith(BASE_URL + "delegations/meetings/feedback/")
    assert urls["ali@transpare.example"] == (
        f"{BASE_URL}delegations/meetings/{saturday.pk}/outcome/"
    )


def test_meetings_invite_twice_sends_nothing_more(mission, saturday, monday, staff_user):
    meetings_invite(mission=mission, by=staff_user, base_url=BASE_URL)
    before = OutboundEmail.objects.count()

    again = meetings_invite(mission=mission, by=staff_user, base_url=BASE_URL)

    assert again == 0
    # Two meetings, three recipients each, three emails each.
    assert before == 18
    assert OutboundEmail.objects.count() == before


def test_meetings_invite_skips_declined_and_started_meetings(
    mission, application, maple, erable, staff_user
):
    _meeting(application, maple, SATURDAY_10H, status=MeetingStatus.DECLINED)
    _meeting(application, erable, timezone.now() - datetime.timedelta(hours=1))

    assert meetings_invite(mission=mission, by=staff_user, base_url=BASE_URL) == 0
    assert OutboundEmail.objects.count() == 0


# A move -------------------------------------------------------------------------------


def test_meeting_moved_replaces_reminders_and_resends_with_next_sequence(
    mission, saturday, staff_user
):
    meetings_invite(mission=mission, by=staff_user, base_url=BASE_URL)
    saturday.refresh_from_db()
    meeting_respond(meeting=saturday, accept=True)
    old_reminders = set(
        OutboundEmail.objects.filter(template_key="meeting_tomorrow").values_list("pk", flat=True)
    )

    # What the grid's move does: new slot, sequence up, saved, then the hook.
    saturday.refresh_from_db()
    saturday.slot = _slot(mission, MONDAY_10H)
    saturday.sequence += 1
    saturday.save()
    meeting_moved(meeting=saturday, base_url=BASE_URL)

    assert not OutboundEmail.objects.filter(pk__in=old_reminders).exists()
    assert _rows("meeting_tomorrow", saturday) == {
        ("jane@maple.example", "en", _utc(2027, 11, 7, 14, 0)),
        ("ali@transpare.example", "fr", _utc(2027, 11, 7, 14, 0)),
        ("jo@transpare.example", "en", _utc(2027, 11, 7, 14, 0)),
    }
    assert _rows("meeting_feedback", saturday) == {
        ("jane@maple.example", "en", _utc(2027, 11, 9, 14, 0)),
        ("ali@transpare.example", "fr", _utc(2027, 11, 9, 14, 0)),
        ("jo@transpare.example", "en", _utc(2027, 11, 9, 14, 0)),
    }
    resent = OutboundEmail.objects.get(
        template_key="meeting_invitation_counterpart", idempotency_key__contains=":1:"
    )
    lines = _ics(resent)
    assert "SEQUENCE:1" in lines
    assert "DTSTART:20271108T150000Z" in lines
    assert OutboundEmail.objects.filter(template_key="meeting_invitation").count() == 4
    saturday.refresh_from_db()
    # Accepted for another time: the counterpart is asked again.
    assert saturday.status == MeetingStatus.SCHEDULED


def test_meeting_move_of_grid_calls_the_hook_with_the_new_version(mission, saturday, staff_user):
    from meetings.services.grid import meeting_move

    meetings_invite(mission=mission, by=staff_user, base_url=BASE_URL)
    saturday.refresh_from_db()

    moved = meeting_move(
        meeting=saturday,
        slot=_slot(mission, MONDAY_10H),
        table=4,
        by=staff_user,
        base_url=BASE_URL,
    )

    assert moved.sequence == 1
    assert _rows("meeting_tomorrow", saturday) == {
        ("jane@maple.example", "en", _utc(2027, 11, 7, 14, 0)),
        ("ali@transpare.example", "fr", _utc(2027, 11, 7, 14, 0)),
        ("jo@transpare.example", "en", _utc(2027, 11, 7, 14, 0)),
    }
    resent = OutboundEmail.objects.get(
        template_key="meeting_invitation",
        recipient="jo@transpare.example",
        context__event__sequence=1,
    )
    assert "SEQUENCE:1" in _ics(resent)
    assert resent.context["table"] == 4


def test_meeting_moved_before_invitations_sends_nothing(saturday):
    saturday.sequence += 1
    saturday.save()

    meeting_moved(meeting=saturday, base_url=BASE_URL)

    assert OutboundEmail.objects.count() == 0


# The counterpart's answer --------------------------------------------------------------


def test_meeting_respond_accept_confirms_and_keeps_reminders(mission, saturday, staff_user):
    meetings_invite(mission=mission, by=staff_user, base_url=BASE_URL)

    meeting = meeting_respond(meeting=saturday, accept=True, note="  See you there.  ")

    assert meeting.status == MeetingStatus.CONFIRMED
    assert meeting.responded_at is not None
    assert meeting.response_note == "See you there."
    assert OutboundEmail.objects.filter(template_key="meeting_tomorrow").count() == 3


def test_meeting_respond_decline_frees_slot_and_deletes_reminders(
    mission, saturday, application, maple, staff_user
):
    meetings_invite(mission=mission, by=staff_user, base_url=BASE_URL)

    meeting = meeting_respond(meeting=saturday, accept=False, note="Travelling.")

    assert meeting.status == MeetingStatus.DECLINED
    assert OutboundEmail.objects.filter(template_key="meeting_tomorrow").count() == 0
    assert OutboundEmail.objects.filter(template_key="meeting_feedback").count() == 0
    # The invitations already sent are history, not withdrawn.
    assert OutboundEmail.objects.filter(template_key__startswith="meeting_invitation").count() == 3
    # Each member is told, with the cancellation of the event its invitation brought.
    invitation = OutboundEmail.objects.filter(template_key="meeting_invitation").first()
    for told in OutboundEmail.objects.filter(template_key="meeting_declined"):
        [ics] = render_email(told).attachments
        lines = ics.content.split("\r\n")
        assert "METHOD:CANCEL" in lines
        assert "STATUS:CANCELLED" in lines
        assert f"UID:{invitation.context['event']['uid']}" in lines
    # The same slot, table and counterpart take another company's meeting.
    other = ApplicationFactory(mission=mission, status=ApplicationStatus.CONFIRMED)
    replacement = _meeting(other, maple, SATURDAY_10H, table=2)
    assert replacement.slot_id == saturday.slot_id


def test_meeting_respond_decline_keeps_reminders_already_sent(mission, saturday, staff_user):
    meetings_invite(mission=mission, by=staff_user, base_url=BASE_URL)
    OutboundEmail.objects.filter(template_key="meeting_tomorrow").update(
        status=EmailStatus.SENT, sent_at=timezone.now()
    )

    meeting_respond(meeting=saturday, accept=False)

    assert OutboundEmail.objects.filter(template_key="meeting_tomorrow").count() == 3


def test_meeting_respond_accepted_may_decline_until_start(saturday):
    meeting_respond(meeting=saturday, accept=True)

    meeting = meeting_respond(meeting=saturday, accept=False, note="Sorry.")

    assert meeting.status == MeetingStatus.DECLINED
    # The latest answer's message; each answer is a row of the meeting's history.
    assert meeting.response_note == "Sorry."
    assert list(meeting.changes.values_list("action", flat=True)) == ["accepted", "declined"]


def test_meeting_respond_declined_is_final(saturday):
    meeting_respond(meeting=saturday, accept=False)

    with pytest.raises(MeetingError) as refused:
        meeting_respond(meeting=saturday, accept=True)

    assert refused.value.code == "declined"
    saturday.refresh_from_db()
    assert saturday.status == MeetingStatus.DECLINED


def test_meeting_respond_started_refused(application, maple):
    meeting = _meeting(application, maple, timezone.now() - datetime.timedelta(minutes=5))

    with pytest.raises(MeetingError) as refused:
        meeting_respond(meeting=meeting, accept=True)

    assert refused.value.code == "started"


def test_meeting_respond_note_too_long_refused_by_field(saturday):
    with pytest.raises(MeetingError) as refused:
        meeting_respond(meeting=saturday, accept=True, note="x" * 2001)

    assert list(refused.value.error_dict) == ["note"]


# Outcomes ---------------------------------------------------------------------------


@pytest.fixture
def past(application, maple):
    return _meeting(application, maple, timezone.now() - datetime.timedelta(hours=2))


def _errors(call) -> dict:
    with pytest.raises(MeetingError) as refused:
        call()
    return {field: [e.code for e in errors] for field, errors in refused.value.error_dict.items()}


def test_meeting_record_outcome_company_side_saved(past, members):
    meeting = meeting_record_outcome(
        meeting=past,
        by=members[0],
        side="company",
        company_rating=4,
        follow_up_stage="negotiation",
        leads=3,
        estimated_value=decimal.Decimal("25000.00"),
    )

    meeting.refresh_from_db()
    assert (meeting.company_rating, meeting.follow_up_stage, meeting.leads) == (
        4,
        "negotiation",
        3,
    )
    assert meeting.estimated_value == decimal.Decimal("25000.00")
    assert meeting.status == MeetingStatus.SCHEDULED


def test_meeting_record_outcome_company_values_out_of_range_by_field(past, members):
    errors = _errors(
        lambda: meeting_record_outcome(
            meeting=past,
            by=members[0],
            side="company",
            company_rating=6,
            follow_up_stage="maybe",
            leads=-1,
            estimated_value=decimal.Decimal("-5"),
        )
    )

    assert errors == {
        "company_rating": ["rating_range"],
        "follow_up_stage": ["invalid_stage"],
        "leads": ["negative"],
        "estimated_value": ["negative"],
    }
    past.refresh_from_db()
    assert past.company_rating is None


def test_meeting_record_outcome_company_rating_and_stage_required(past, members):
    errors = _errors(lambda: meeting_record_outcome(meeting=past, by=members[0], side="company"))

    assert errors == {"company_rating": ["required"], "follow_up_stage": ["required"]}


def test_meeting_record_outcome_before_start_refused(saturday, members):
    errors = _errors(
        lambda: meeting_record_outcome(
            meeting=saturday,
            by=members[0],
            side="company",
            company_rating=3,
            follow_up_stage="none",
        )
    )

    assert errors == {NON_FIELD_ERRORS: ["not_started"]}


def test_meeting_record_outcome_declined_meeting_refused(past, staff_user):
    Meeting.objects.filter(pk=past.pk).update(status=MeetingStatus.DECLINED)
    past.refresh_from_db()

    errors = _errors(
        lambda: meeting_record_outcome(
            meeting=past, by=staff_user, side="both", status=MeetingStatus.HELD
        )
    )

    assert errors == {NON_FIELD_ERRORS: ["inactive"]}


def test_meeting_record_outcome_counterpart_side_rating_and_comment(past):
    meeting = meeting_record_outcome(
        meeting=past, by=None, side="counterpart", counterpart_rating=5, comment=" Great. "
    )

    assert meeting.counterpart_rating == 5
    assert meeting.counterpart_comment == "Great."
    assert meeting.response_note == ""


def test_meeting_record_outcome_counterpart_rating_zero_refused(past):
    errors = _errors(
        lambda: meeting_record_outcome(
            meeting=past, by=None, side="counterpart", counterpart_rating=0
        )
    )

    assert errors == {"counterpart_rating": ["rating_range"]}


def test_meeting_record_outcome_status_by_company_refused(past, members):
    with pytest.raises(MeetingError) as refused:
        meeting_record_outcome(
            meeting=past,
            by=members[0],
            side="company",
            status=MeetingStatus.HELD,
            company_rating=3,
            follow_up_stage="none",
        )

    assert refused.value.code == "not_allowed"


def test_meeting_record_outcome_staff_both_sides_and_no_show(past, staff_user):
    meeting = meeting_record_outcome(
        meeting=past,
        by=staff_user,
        side="both",
        status=MeetingStatus.NO_SHOW,
        counterpart_rating=2,
    )

    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.NO_SHOW
    assert meeting.counterpart_rating == 2
    assert meeting.company_rating is None


def test_meeting_record_outcome_staff_status_other_than_held_refused(past, staff_user):
    errors = _errors(
        lambda: meeting_record_outcome(
            meeting=past, by=staff_user, side="both", status=MeetingStatus.CANCELLED
        )
    )

    assert errors == {"status": ["invalid_status"]}
