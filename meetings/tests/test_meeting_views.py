"""The meetings' pages: the counterpart's signed links (valid, tampered, for another
meeting, for another purpose), the answer and feedback pages in the counterpart's
language, agendas in destination time across a daylight-saving change (page, PDF, .ics),
the outcome page, staff's invitations; who may see what; query counts."""

import datetime
import io
import sys
import zoneinfo

import pypdf
import pytest
from django.core import signing
from django.urls import reverse
from django.utils import timezone, translation

from delegations.enums import ApplicationStatus
from delegations.tests.factories import ApplicationFactory
from meetings.enums import MeetingStatus
from meetings.models import Meeting, MeetingGrid, MeetingSlot
from meetings.tests.factories import CounterpartFactory, MeetingRequestFactory
from meetings.tokens import (
    ANSWER,
    FEEDBACK,
    counterpart_agenda_token,
    meeting_for_token,
    meeting_token,
)
from missions.tests.factories import OpenMissionFactory
from notifications.models import OutboundEmail

pytestmark = pytest.mark.django_db

TORONTO = zoneinfo.ZoneInfo("America/Toronto")
# Daylight-saving time ends in Toronto on Sunday 7 November 2027 at 02:00; in Paris it
# ended a week before.
SATURDAY_10H = datetime.datetime(2027, 11, 6, 10, 0, tzinfo=TORONTO)  # 14:00 UTC, 15:00 Paris
MONDAY_10H = datetime.datetime(2027, 11, 8, 10, 0, tzinfo=TORONTO)  # 15:00 UTC, 16:00 Paris
SECRET = "Secret Buyer of Protecto"


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


def _slot(mission, starts_at) -> MeetingSlot:
    grid, _ = MeetingGrid.objects.get_or_create(mission=mission, defaults={"tables": 30})
    slot, _ = MeetingSlot.objects.get_or_create(
        grid=grid,
        starts_at=starts_at,
        defaults={"ends_at": starts_at + datetime.timedelta(minutes=30)},
    )
    return slot


def _meeting(application, counterpart, starts_at, *, table=1, **fields) -> Meeting:
    request = MeetingRequestFactory(
        application=application, counterpart=counterpart, status="scheduled"
    )
    fields.setdefault("invited_at", timezone.now())
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
def application(mission, company_member):
    """Company A, Transpare."""
    return ApplicationFactory(
        mission=mission,
        company=company_member.membership.company,
        status=ApplicationStatus.CONFIRMED,
    )


@pytest.fixture
def other_application(mission, other_company_member):
    """Company B, Protecto."""
    return ApplicationFactory(
        mission=mission,
        company=other_company_member.membership.company,
        status=ApplicationStatus.CONFIRMED,
    )


@pytest.fixture
def maple(mission):
    return CounterpartFactory(
        mission=mission, organisation="Maple Ventures", language="en", contact_name="Jane Doe"
    )


@pytest.fixture
def erable(mission):
    return CounterpartFactory(
        mission=mission, organisation="Capital Érable", language="fr", contact_name="Luc Roy"
    )


@pytest.fixture
def saturday(application, maple):
    return _meeting(application, maple, SATURDAY_10H, table=2, sequence=2)


@pytest.fixture
def monday(application, erable):
    return _meeting(application, erable, MONDAY_10H, table=3)


@pytest.fixture
def secret(other_application, mission):
    """Company B's meeting: nothing of it may show on company A's pages."""
    buyer = CounterpartFactory(mission=mission, organisation=SECRET)
    return _meeting(other_application, buyer, SATURDAY_10H, table=4)


@pytest.fixture
def past(application, maple):
    return _meeting(application, maple, timezone.now() - datetime.timedelta(hours=3), table=5)


def _respond_url(meeting, purpose=ANSWER):
    name = (
        "meetings:meeting_respond" if purpose == ANSWER else "meetings:counterpart_feedback"
    )
    return reverse(name, kwargs={"token": meeting_token(meeting, purpose)})


def _pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(content)).pages)


# Signed links -----------------------------------------------------------------------


def test_meeting_for_token_valid_opens_its_meeting_only(saturday, monday):
    assert meeting_for_token(meeting_token(saturday, ANSWER), ANSWER) == saturday
    assert meeting_for_token(meeting_token(monday, ANSWER), ANSWER) == monday


def test_meeting_for_token_wrong_purpose_none(saturday):
    assert meeting_for_token(meeting_token(saturday, ANSWER), FEEDBACK) is None
    assert meeting_for_token(meeting_token(saturday, FEEDBACK), ANSWER) is None


def test_meeting_for_token_other_counterpart_none(saturday, erable):
    # Signed with the right key and salt, but for a counterpart that is not the meeting's.
    token = signing.dumps({"m": saturday.pk, "c": erable.pk}, salt="meetings.meeting.answer")

    assert meeting_for_token(token, ANSWER) is None


def test_respond_page_valid_token_shows_its_meeting(client, saturday, monday):
    response = client.get(_respond_url(saturday))

    assert response.status_code == 200
    content = response.content.decode()
    assert "Transpare" in content
    assert "Saturday 6 November 2027, 10:00" in content
    assert "(Toronto time)" in content
    assert "Toronto, table 2" in content


def test_respond_page_tampered_token_404(client, saturday):
    token = meeting_token(saturday, ANSWER)
    tampered = token[:-1] + ("A" if token[-1] != "A" else "B")

    response = client.get(reverse("meetings:meeting_respond", kwargs={"token": tampered}))

    assert response.status_code == 404


def test_respond_page_payload_of_another_meeting_404(client, saturday, monday):
    # Monday's payload with Saturday's signature: the signature no longer matches.
    payload_monday = meeting_token(monday, ANSWER).split(":", 1)[0]
    signature_saturday = meeting_token(saturday, ANSWER).split(":", 1)[1]
    forged = f"{payload_monday}:{signature_saturday}"

    response = client.get(reverse("meetings:meeting_respond", kwargs={"token": forged}))

    assert response.status_code == 404


@pytest.mark.parametrize("method", ["get", "post"])
def test_feedback_page_answer_token_404_and_answer_page_feedback_token_404(
    client, saturday, method
):
    answer = meeting_token(saturday, ANSWER)
    feedback = meeting_token(saturday, FEEDBACK)

    wrong_feedback = getattr(client, method)(
        reverse("meetings:counterpart_feedback", kwargs={"token": answer})
    )
    wrong_answer = getattr(client, method)(
        reverse("meetings:meeting_respond", kwargs={"token": feedback})
    )

    assert (wrong_feedback.status_code, wrong_answer.status_code) == (404, 404)


def test_respond_page_garbage_token_404(client, db):
    response = client.get(reverse("meetings:meeting_respond", kwargs={"token": "nope"}))

    assert response.status_code == 404


# The answer page ----------------------------------------------------------------------


def test_respond_page_in_counterpart_language_whatever_the_browser(client, monday, saturday):
    french = client.get(_respond_url(monday), HTTP_ACCEPT_LANGUAGE="en")
    english = client.get(_respond_url(saturday), HTTP_ACCEPT_LANGUAGE="fr")

    assert '<html lang="fr">' in french.content.decode()
    assert "(heure de Toronto)" in french.content.decode()
    assert '<html lang="en">' in english.content.decode()
    assert "(Toronto time)" in english.content.decode()


def test_respond_post_accept_records_and_says_so(client, saturday):
    url = _respond_url(saturday)

    response = client.post(url, {"answer": "accept", "note": "Looking forward."}, follow=True)

    saturday.refresh_from_db()
    assert saturday.status == MeetingStatus.CONFIRMED
    assert saturday.response_note == "Looking forward."
    content = response.content.decode()
    assert "Thank you: your acceptance is recorded." in content
    assert "You accepted this meeting" in content
    assert "Looking forward." in content


def test_respond_post_decline_frees_and_refuses_a_second_accept(client, saturday):
    url = _respond_url(saturday)

    client.post(url, {"answer": "decline", "note": "Away."})
    again = client.post(url, {"answer": "accept"})

    saturday.refresh_from_db()
    assert saturday.status == MeetingStatus.DECLINED
    assert again.status_code == 200
    assert "You have declined this meeting" in again.content.decode()


def test_respond_post_without_choice_error(client, saturday):
    response = client.post(_respond_url(saturday), {"note": "Hmm"})

    assert response.status_code == 200
    assert "Choose to accept or to decline the meeting." in response.content.decode()
    saturday.refresh_from_db()
    assert saturday.status == MeetingStatus.SCHEDULED


# The feedback page --------------------------------------------------------------------


def test_feedback_page_records_rating_and_comment(client, past):
    response = client.post(
        _respond_url(past, FEEDBACK), {"counterpart_rating": "4", "comment": "Useful."}
    )

    assert response.status_code == 302
    past.refresh_from_db()
    assert past.counterpart_rating == 4
    assert past.counterpart_comment == "Useful."


def test_feedback_page_before_meeting_has_no_form(client, saturday):
    response = client.get(_respond_url(saturday, FEEDBACK))

    assert response.status_code == 200
    assert "You can give your feedback once the meeting has taken place." in (
        response.content.decode()
    )
    assert "<form" not in response.content.decode().split('id="feedback"')[1]


def test_feedback_page_rating_required_error_by_field(client, past):
    response = client.post(_respond_url(past, FEEDBACK), {"comment": "No rating"})

    assert response.status_code == 200
    assert response.context["form"].errors == {"counterpart_rating": ["This field is required."]}
    assert "No rating" in response.content.decode()


# Agendas ----------------------------------------------------------------------------


def test_company_agenda_by_day_in_destination_time_across_dst(
    client, company_member, application, saturday, monday, secret
):
    client.force_login(company_member)

    response = client.get(reverse("meetings:agenda", kwargs={"pk": application.pk}))

    content = response.content.decode()
    assert response.status_code == 200
    assert "Every time is given in Toronto time" in content
    assert '<h2 id="day-1" class="h4">Saturday 6 November 2027</h2>' in content
    assert '<h2 id="day-2" class="h4">Monday 8 November 2027</h2>' in content
    assert '<time datetime="2027-11-06T10:00:00-04:00">10:00</time>–10:30' in content
    assert '<time datetime="2027-11-08T10:00:00-05:00">10:00</time>–10:30' in content
    # Paris time beside it, for reference: 15:00 then 16:00.
    assert '<time datetime="2027-11-06T15:00:00+01:00">15:00</time>' in content
    assert '<time datetime="2027-11-08T16:00:00+01:00">16:00</time>' in content
    assert content.count("(Paris time)") == 2
    assert "Maple Ventures" in content
    assert "Capital Érable" in content
    assert SECRET not in content


def test_company_agenda_hides_meetings_not_invited_and_declined(
    client, company_member, application, saturday, erable
):
    _meeting(application, erable, MONDAY_10H, invited_at=None)
    Meeting.objects.filter(pk=saturday.pk).update(status=MeetingStatus.DECLINED)
    client.force_login(company_member)

    response = client.get(reverse("meetings:agenda", kwargs={"pk": application.pk}))

    content = response.content.decode()
    assert "Maple Ventures" not in content
    assert "Capital Érable" not in content
    assert "No meeting in this agenda yet." in content


def test_company_agenda_staff_sees_declined_and_not_yet_invited(
    client, staff_user, application, saturday, erable
):
    _meeting(application, erable, MONDAY_10H, invited_at=None)
    Meeting.objects.filter(pk=saturday.pk).update(
        status=MeetingStatus.DECLINED, response_note="[2027-10-01 10:00 UTC] declined: Away"
    )
    client.force_login(staff_user)

    response = client.get(reverse("meetings:agenda", kwargs={"pk": application.pk}))

    content = response.content.decode()
    declined = content.split('id="declined"')[1]
    assert "Maple Ventures" in declined
    assert "declined: Away" in declined
    assert "Capital Érable" in content.split('id="declined"')[0]


def test_company_agenda_pdf_without_pango_says_so_instead_of_failing(
    client, company_member, application, saturday, monkeypatch, caplog
):
    # What importing WeasyPrint does on a machine without the Pango library.
    monkeypatch.setitem(sys.modules, "weasyprint", None)
    client.force_login(company_member)

    response = client.get(reverse("meetings:agenda_pdf", kwargs={"pk": application.pk}))

    assert response.status_code == 503
    assert "The agenda page and its .ics file are available." in response.content.decode()
    assert "PDFs are unavailable" in caplog.text


def test_company_agenda_pdf_is_a_pdf_with_the_meetings(
    client, company_member, application, saturday, monday, secret
):
    client.force_login(company_member)

    response = client.get(reverse("meetings:agenda_pdf", kwargs={"pk": application.pk}))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        'attachment; filename="agenda-canada-2027-transpare.pdf"'
    )
    assert response.content.startswith(b"%PDF")
    text = _pdf_text(response.content)
    assert "Maple Ventures" in text
    assert "Capital Érable" in text
    assert "Saturday 6 November 2027" in text
    assert "Monday 8 November 2027" in text
    assert "10:00–10:30 (Toronto time)" in text
    assert SECRET not in text


def test_company_agenda_ics_one_event_per_meeting_in_utc_with_sequence(
    client, company_member, application, saturday, monday, secret
):
    client.force_login(company_member)

    response = client.get(reverse("meetings:agenda_ics", kwargs={"pk": application.pk}))

    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Content-Disposition"] == (
        'attachment; filename="agenda-canada-2027-transpare.ics"'
    )
    lines = response.content.decode().split("\r\n")
    assert lines.count("BEGIN:VEVENT") == 2
    assert lines[lines.index(f"UID:meeting-{saturday.pk}@marseille.fr") + 1] == "SEQUENCE:2"
    assert lines[lines.index(f"UID:meeting-{monday.pk}@marseille.fr") + 1] == "SEQUENCE:0"
    assert "DTSTART:20271106T140000Z" in lines
    assert "DTSTART:20271108T150000Z" in lines
    assert "SUMMARY:Transpare — Maple Ventures" in lines
    assert SECRET not in response.content.decode()


def test_counterpart_agenda_staff_lists_its_meetings(client, staff_user, maple, saturday, secret):
    client.force_login(staff_user)

    response = client.get(reverse("meetings:counterpart_agenda", kwargs={"pk": maple.pk}))

    content = response.content.decode()
    assert "Agenda of Maple Ventures" in content
    assert "Transpare" in content
    assert "Protecto" not in content


def test_counterpart_agenda_signed_link_in_its_language(client, erable, monday):
    url = reverse("meetings:counterpart_agenda", kwargs={"pk": erable.pk})
    token = counterpart_agenda_token(erable)

    page = client.get(f"{url}?t={token}")
    pdf = client.get(
        reverse("meetings:counterpart_agenda_pdf", kwargs={"pk": erable.pk}) + f"?t={token}"
    )

    assert page.status_code == 200
    assert '<html lang="fr">' in page.content.decode()
    assert "Transpare" in page.content.decode()
    assert pdf.content.startswith(b"%PDF")
    assert "Transpare" in _pdf_text(pdf.content)


def test_counterpart_agenda_token_of_another_counterpart_refused(
    client, company_member, maple, erable
):
    url = reverse("meetings:counterpart_agenda", kwargs={"pk": maple.pk})
    token = counterpart_agenda_token(erable)

    anonymous = client.get(f"{url}?t={token}")
    client.force_login(company_member)
    member = client.get(f"{url}?t={token}")

    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith(reverse("login"))
    assert member.status_code == 404


@pytest.mark.parametrize("count", [1, 20])
def test_company_agenda_query_count_same_for_1_and_20_meetings(
    client, company_member, application, mission, count, django_assert_num_queries
):
    for n in range(count):
        counterpart = CounterpartFactory(mission=mission)
        _meeting(application, counterpart, SATURDAY_10H + datetime.timedelta(minutes=30 * n))
    client.force_login(company_member)
    url = reverse("meetings:agenda", kwargs={"pk": application.pk})

    # Session, user with its groups, membership and company, the application with mission
    # and company, the meetings with slot, counterpart and company.
    with django_assert_num_queries(4):
        response = client.get(url)

    assert response.content.decode().count('id="meeting-') == count


@pytest.mark.parametrize("count", [1, 20])
def test_counterpart_agenda_query_count_same_for_1_and_20_meetings(
    client, staff_user, mission, count, django_assert_num_queries
):
    counterpart = CounterpartFactory(mission=mission)
    for n in range(count):
        application = ApplicationFactory(mission=mission, status=ApplicationStatus.CONFIRMED)
        _meeting(application, counterpart, SATURDAY_10H + datetime.timedelta(minutes=30 * n))
    client.force_login(staff_user)
    url = reverse("meetings:counterpart_agenda", kwargs={"pk": counterpart.pk})

    # Session, user with its groups; the counterpart with its mission; its meetings.
    with django_assert_num_queries(4):
        response = client.get(url)

    assert response.content.decode().count('id="meeting-') == count


# The outcome page ---------------------------------------------------------------------


def test_outcome_company_records_its_side(client, company_member, past):
    client.force_login(company_member)

    response = client.post(
        reverse("meetings:meeting_outcome", kwargs={"pk": past.pk}),
        {"company_rating": "5", "follow_up_stage": "discussion", "leads": "2"},
    )

    assert response.status_code == 302
    assert response["Location"] == reverse(
        "meetings:agenda", kwargs={"pk": past.application_id}
    )
    past.refresh_from_db()
    assert (past.company_rating, past.follow_up_stage, past.leads) == (5, "discussion", 2)
    assert past.status == MeetingStatus.SCHEDULED


def test_outcome_errors_by_field_input_kept(client, company_member, past):
    client.force_login(company_member)

    response = client.post(
        reverse("meetings:meeting_outcome", kwargs={"pk": past.pk}),
        {"company_rating": "3", "leads": "-4", "estimated_value": "1200.50"},
    )

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "follow_up_stage": ["This field is required."],
        "leads": ["The number of leads cannot be negative."],
    }
    content = response.content.decode()
    assert 'value="-4"' in content
    assert 'value="1200.50"' in content
    past.refresh_from_db()
    assert past.company_rating is None


def test_outcome_company_form_has_no_status_nor_counterpart_rating(client, company_member, past):
    client.force_login(company_member)

    response = client.get(reverse("meetings:meeting_outcome", kwargs={"pk": past.pk}))

    assert set(response.context["form"].fields) == {
        "company_rating",
        "follow_up_stage",
        "leads",
        "estimated_value",
    }


def test_outcome_staff_records_both_sides_and_held(client, staff_user, past):
    client.force_login(staff_user)

    response = client.post(
        reverse("meetings:meeting_outcome", kwargs={"pk": past.pk}),
        {"status": "held", "counterpart_rating": "4", "company_rating": "2"},
    )

    assert response.status_code == 302
    past.refresh_from_db()
    assert (past.status, past.counterpart_rating, past.company_rating) == ("held", 4, 2)


def test_outcome_before_start_has_no_form(client, company_member, saturday):
    client.force_login(company_member)

    response = client.get(reverse("meetings:meeting_outcome", kwargs={"pk": saturday.pk}))

    assert "The outcome of a meeting can be recorded once it has started." in (
        response.content.decode()
    )
    assert "company_rating" not in response.content.decode()


# Staff's invitations --------------------------------------------------------------------


def test_invite_staff_sends_and_goes_back_to_grid(client, staff_user, mission, application, maple):
    meeting = _meeting(application, maple, SATURDAY_10H, invited_at=None)
    client.force_login(staff_user)

    response = client.post(
        reverse("meetings:meetings_invite", kwargs={"mission_pk": mission.pk})
    )
    followed = client.get(response["Location"])

    assert response.status_code == 302
    assert response["Location"] == reverse("meetings:grid", kwargs={"mission_pk": mission.pk})
    meeting.refresh_from_db()
    assert meeting.invited_at is not None
    assert OutboundEmail.objects.filter(template_key="meeting_invitation_counterpart").count() == 1
    assert "Invitations sent for 1 meeting." in followed.content.decode()


# Who may see what -----------------------------------------------------------------------

LOGIN, OK, HIDDEN, REDIRECT, NOT_ALLOWED = "login", 200, 404, 302, 405


def _who(request, name):
    return None if name == "anonymous" else request.getfixturevalue(name)


ROLES = ["anonymous", "company_member", "other_company_member", "staff_user", "official_user"]

# Each page of company A's: what each role gets, GET and POST.
MATRIX = {
    "agenda": {"get": [LOGIN, OK, HIDDEN, OK, OK], "post": [LOGIN, NOT_ALLOWED, HIDDEN, 405, 405]},
    "agenda_pdf": {"get": [LOGIN, OK, HIDDEN, OK, OK], "post": [LOGIN, 405, HIDDEN, 405, 405]},
    "agenda_ics": {"get": [LOGIN, OK, HIDDEN, OK, OK], "post": [LOGIN, 405, HIDDEN, 405, 405]},
    "counterpart_agenda": {
        "get": [LOGIN, HIDDEN, HIDDEN, OK, OK],
        "post": [LOGIN, HIDDEN, HIDDEN, 405, 405],
    },
    "counterpart_agenda_pdf": {
        "get": [LOGIN, HIDDEN, HIDDEN, OK, OK],
        "post": [LOGIN, HIDDEN, HIDDEN, 405, 405],
    },
    "counterpart_agenda_ics": {
        "get": [LOGIN, HIDDEN, HIDDEN, OK, OK],
        "post": [LOGIN, HIDDEN, HIDDEN, 405, 405],
    },
    "meeting_outcome": {
        "get": [LOGIN, OK, HIDDEN, OK, HIDDEN],
        "post": [LOGIN, OK, HIDDEN, REDIRECT, HIDDEN],
    },
    # GET: the look before sending (here nothing to invite: back to the grid).
    "meetings_invite": {
        "get": [LOGIN, HIDDEN, HIDDEN, REDIRECT, HIDDEN],
        "post": [LOGIN, HIDDEN, HIDDEN, REDIRECT, HIDDEN],
    },
}
CASES = [
    (page, method, role, expected)
    for page, methods in MATRIX.items()
    for method, outcomes in methods.items()
    for role, expected in zip(ROLES, outcomes, strict=True)
]


@pytest.mark.parametrize(("page", "method", "role", "expected"), CASES)
def test_meeting_pages_permission_matrix(
    request, client, page, method, role, expected, application, maple, past, secret
):
    user = _who(request, role)
    if user is not None:
        client.force_login(user)
    kwargs = {
        "agenda": {"pk": application.pk},
        "agenda_pdf": {"pk": application.pk},
        "agenda_ics": {"pk": application.pk},
        "counterpart_agenda": {"pk": maple.pk},
        "counterpart_agenda_pdf": {"pk": maple.pk},
        "counterpart_agenda_ics": {"pk": maple.pk},
        "meeting_outcome": {"pk": past.pk},
        "meetings_invite": {"mission_pk": application.mission_id},
    }[page]
    url = reverse(f"meetings:{page}", kwargs=kwargs)

    response = getattr(client, method)(url, {} if method == "post" else None)

    if expected == LOGIN:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
    else:
        assert response.status_code == expected
    if response.status_code == 200:
        body = response.content
        text = _pdf_text(body) if body.startswith(b"%PDF") else body.decode()
        assert SECRET not in text
    past.refresh_from_db()
    assert past.company_rating is None
    assert past.status == MeetingStatus.SCHEDULED


def test_company_b_agenda_shows_none_of_company_a(
    client, other_company_member, other_application, saturday, secret
):
    client.force_login(other_company_member)

    response = client.get(reverse("meetings:agenda", kwargs={"pk": other_application.pk}))

    content = response.content.decode()
    assert SECRET in content
    assert "Maple Ventures" not in content


def test_application_detail_links_agenda_once_confirmed(client, company_member, application):
    client.force_login(company_member)

    response = client.get(application.get_absolute_url())

    assert reverse("meetings:agenda", kwargs={"pk": application.pk}) in (
        response.content.decode()
    )
