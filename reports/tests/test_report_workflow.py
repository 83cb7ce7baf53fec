"""The review of a mission's report: saving the narrative, every transition and refusal
with its exact message, the history, and the emails each step queues."""

import pytest
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils import translation

from accounts.tests.factories import OfficialFactory, StaffFactory
from companies.tests.factories import CompanyMemberFactory
from missions.enums import MissionStatus
from missions.services import TransitionError, mission_transition
from missions.tests.factories import MissionFactory
from notifications.models import OutboundEmail
from notifications.rendering import render_email
from reports.enums import ReportStatus
from reports.models import MissionReport, ReportStatusChange
from reports.services import report_save, report_transition
from reports.tests.factories import MissionReportFactory

pytestmark = pytest.mark.django_db

BASE_URL = "https://missions.example/"


@pytest.fixture(autouse=True)
def _in_english():
    with translation.override("en"):
        yield


@pytest.fixture
def mission():
    return MissionFactory(
        title="Canada — Toronto 2027", slug="canada-2027", status=MissionStatus.COMPLETED
    )


@pytest.fixture
def officials():
    """Two active officials (one reads French, one English) and one who left."""
    return {
        "fr": OfficialFactory(email="didier@marseille.example", language="fr"),
        "en": OfficialFactory(email="anne@marseille.example", language="en"),
        "inactive": OfficialFactory(email="gone@marseille.example", is_active=False),
    }


def _report(mission, status=ReportStatus.DRAFT, narrative="Twelve companies, 84 meetings."):
    return MissionReportFactory(mission=mission, status=status, narrative=narrative)


def _history(report):
    return [
        (c.from_status, c.to_status, c.changed_by, c.comment)
        for c in ReportStatusChange.objects.filter(report=report)
    ]


def _refusal(**kwargs) -> list[str]:
    with pytest.raises(TransitionError) as raised:
        report_transition(**kwargs)
    return raised.value.messages


# Saving the narrative ---------------------------------------------------------------


def test_report_save_creates_the_draft_with_its_first_history_row(mission, staff_user):
    report = report_save(mission=mission, by=staff_user, narrative="A fine week.")

    assert MissionReport.objects.get() == report
    assert (report.status, report.narrative) == (ReportStatus.DRAFT, "A fine week.")
    assert _history(report) == [("", ReportStatus.DRAFT, staff_user, "")]


def test_report_save_updates_the_narrative_without_history(mission, staff_user):
    report = _report(mission, status=ReportStatus.CHANGES_REQUESTED)

    saved = report_save(mission=mission, by=staff_user, narrative="Rewritten.")

    assert saved.pk == report.pk
    report.refresh_from_db()
    assert (report.status, report.narrative) == (ReportStatus.CHANGES_REQUESTED, "Rewritten.")
    assert _history(report) == []


def test_report_save_refuses_more_than_20000_characters(mission, staff_user):
    with pytest.raises(ValidationError) as raised:
        report_save(mission=mission, by=staff_user, narrative="x" * 20_001)

    assert raised.value.message_dict == {
        "narrative": ["The narrative is too long: at most 20,000 characters (it has 20,001)."]
    }
    assert MissionReport.objects.count() == 0


def test_report_save_accepts_exactly_20000_characters(mission, staff_user):
    report = report_save(mission=mission, by=staff_user, narrative="x" * 20_000)

    assert len(report.narrative) == 20_000


@pytest.mark.parametrize(
    ("status", "message"),
    [
        (
            ReportStatus.SUBMITTED,
            "This report awaits an official's review: it cannot be changed until it is sent back.",
        ),
        (ReportStatus.APPROVED, "This report is approved: it can no longer be changed."),
    ],
)
def test_report_save_refused_while_reviewed_or_approved(mission, staff_user, status, message):
    report = _report(mission, status=status, narrative="As submitted.")

    with pytest.raises(ValidationError) as raised:
        report_save(mission=mission, by=staff_user, narrative="Changed behind their back.")

    assert raised.value.message_dict == {NON_FIELD_ERRORS: [message]}
    report.refresh_from_db()
    assert report.narrative == "As submitted."


# Submitting --------------------------------------------------------------------------


def test_submit_sets_the_date_records_and_emails_every_active_official(
    mission, staff_user, officials, handed_over
):
    report = _report(mission)
    CompanyMemberFactory(email="ali@transpare.example")

    submitted = report_transition(
        report=report, to_status=ReportStatus.SUBMITTED, by=staff_user, base_url=BASE_URL
    )

    assert submitted.status == ReportStatus.SUBMITTED
    assert submitted.submitted_at is not None
    assert _history(report) == [(ReportStatus.DRAFT, ReportStatus.SUBMITTED, staff_user, "")]
    change = ReportStatusChange.objects.get()
    emails = list(OutboundEmail.objects.order_by("recipient"))
    assert [(e.recipient, e.language, e.template_key) for e in emails] == [
        ("anne@marseille.example", "en", "report_submitted"),
        ("didier@marseille.example", "fr", "report_submitted"),
    ]
    assert [e.idempotency_key for e in emails] == [
        f"report_submitted:report:{report.pk}:{change.pk}:user:{officials['en'].pk}",
        f"report_submitted:report:{report.pk}:{change.pk}:user:{officials['fr'].pk}",
    ]
    assert (
        emails[0].context["report_url"] == "https://missions.example/missions/canada-2027/report/"
    )
    assert emails[0].context["author_name"] == "Sophie Martin"
    assert emails[0].topic == mission


def test_submit_email_is_rendered_in_each_officials_language(
    mission, staff_user, officials, handed_over
):
    report_transition(report=_report(mission), to_status=ReportStatus.SUBMITTED, by=staff_user)

    english = render_email(OutboundEmail.objects.get(recipient="anne@marseille.example"))
    french = render_email(OutboundEmail.objects.get(recipient="didier@marseille.example"))
    assert english.subject == (
        "[Action required] Mission report for Canada — Toronto 2027: awaiting your review"
    )
    with translation.override("fr"):
        prefix = translation.gettext("[Action required]")
    assert prefix != "[Action required]"
    assert french.subject.startswith(f"{prefix} ")


@pytest.mark.parametrize("status", [ReportStatus.DRAFT, ReportStatus.CHANGES_REQUESTED])
def test_submit_from_draft_or_changes_requested(mission, staff_user, status, handed_over):
    report = _report(mission, status=status)

    assert (
        report_transition(report=report, to_status=ReportStatus.SUBMITTED, by=staff_user).status
        == ReportStatus.SUBMITTED
    )


@pytest.mark.parametrize("narrative", ["", "  \n "])
def test_submit_refused_with_an_empty_narrative(mission, staff_user, officials, narrative):
    report = _report(mission, narrative=narrative)

    assert _refusal(report=report, to_status=ReportStatus.SUBMITTED, by=staff_user) == [
        "Write the narrative before submitting the report."
    ]
    report.refresh_from_db()
    assert report.status == ReportStatus.DRAFT
    assert _history(report) == []
    assert OutboundEmail.objects.count() == 0


@pytest.mark.parametrize(
    ("status", "message"),
    [
        (
            ReportStatus.SUBMITTED,
            "This report is already submitted: it awaits an official's review.",
        ),
        (ReportStatus.APPROVED, "This report is approved: it cannot be submitted again."),
    ],
)
def test_submit_refused_when_already_submitted_or_approved(mission, staff_user, status, message):
    report = _report(mission, status=status)

    assert _refusal(report=report, to_status=ReportStatus.SUBMITTED, by=staff_user) == [message]
    assert OutboundEmail.objects.count() == 0


# Reviewing ---------------------------------------------------------------------------


@pytest.mark.parametrize("status", [ReportStatus.DRAFT, ReportStatus.CHANGES_REQUESTED])
def test_approving_an_unsubmitted_report_is_refused(mission, official_user, status):
    report = _report(mission, status=status)

    assert _refusal(report=report, to_status=ReportStatus.APPROVED, by=official_user) == [
        "This report has not been submitted: it cannot be approved yet."
    ]
    report.refresh_from_db()
    assert (report.status, report.reviewed_by) == (status, None)
    assert _history(report) == []


def test_sending_back_an_unsubmitted_report_is_refused(mission, official_user):
    report = _report(mission)

    assert _refusal(
        report=report,
        to_status=ReportStatus.CHANGES_REQUESTED,
        by=official_user,
        comment="More figures.",
    ) == ["This report has not been submitted: it cannot be sent back yet."]


def test_an_approved_report_cannot_be_approved_or_sent_back(mission, official_user):
    report = _report(mission, status=ReportStatus.APPROVED)

    assert _refusal(report=report, to_status=ReportStatus.APPROVED, by=official_user) == [
        "This report is already approved."
    ]
    assert _refusal(
        report=report, to_status=ReportStatus.CHANGES_REQUESTED, by=official_user, comment="No."
    ) == ["This report is approved: it can no longer be sent back."]


@pytest.mark.parametrize("comment", ["", "   "])
def test_sending_back_requires_a_comment(mission, official_user, comment):
    report = _report(mission, status=ReportStatus.SUBMITTED)

    assert _refusal(
        report=report, to_status=ReportStatus.CHANGES_REQUESTED, by=official_user, comment=comment
    ) == ["Say what should change: a comment is required to send the report back."]
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED


def test_a_comment_longer_than_5000_characters_is_refused(mission, official_user):
    report = _report(mission, status=ReportStatus.SUBMITTED)

    assert _refusal(
        report=report,
        to_status=ReportStatus.CHANGES_REQUESTED,
        by=official_user,
        comment="x" * 5001,
    ) == ["The comment is too long: at most 5,000 characters."]


def test_unknown_status_and_back_to_draft_are_refused(mission, official_user):
    report = _report(mission, status=ReportStatus.SUBMITTED)

    assert _refusal(report=report, to_status="published", by=official_user) == [
        "“published” is not a report status."
    ]
    assert _refusal(report=report, to_status=ReportStatus.DRAFT, by=official_user) == [
        "A report cannot go back to draft."
    ]


def test_sending_back_records_the_review_and_emails_the_last_submitter(
    mission, staff_user, official_user, handed_over
):
    colleague = StaffFactory(email="karim@marseille.example", language="en")
    report = _report(mission)
    report_transition(report=report, to_status=ReportStatus.SUBMITTED, by=staff_user)
    report_transition(
        report=report, to_status=ReportStatus.CHANGES_REQUESTED, by=official_user, comment="x"
    )
    report_transition(report=report, to_status=ReportStatus.SUBMITTED, by=colleague)
    OutboundEmail.objects.all().delete()

    sent_back = report_transition(
        report=report,
        to_status=ReportStatus.CHANGES_REQUESTED,
        by=official_user,
        comment="  Add the Montréal leads.  ",
        base_url=BASE_URL,
    )

    assert sent_back.status == ReportStatus.CHANGES_REQUESTED
    assert (sent_back.reviewed_by, sent_back.reviewer_comment) == (
        official_user,
        "Add the Montréal leads.",
    )
    assert sent_back.reviewed_at is not None
    assert _history(report) == [
        (ReportStatus.DRAFT, ReportStatus.SUBMITTED, staff_user, ""),
        (ReportStatus.SUBMITTED, ReportStatus.CHANGES_REQUESTED, official_user, "x"),
        (ReportStatus.CHANGES_REQUESTED, ReportStatus.SUBMITTED, colleague, ""),
        (
            ReportStatus.SUBMITTED,
            ReportStatus.CHANGES_REQUESTED,
            official_user,
            "Add the Montréal leads.",
        ),
    ]
    email = OutboundEmail.objects.get()
    assert (email.recipient, email.language, email.template_key) == (
        "karim@marseille.example",
        "en",
        "report_changes_requested",
    )
    assert email.context["comment"] == "Add the Montréal leads."
    assert email.context["author_name"] == "Didier Parakian"
    assert "Add the Montréal leads." in render_email(email).body


def test_no_email_to_a_submitter_who_left(mission, staff_user, official_user, handed_over):
    report = _report(mission)
    report_transition(report=report, to_status=ReportStatus.SUBMITTED, by=staff_user)
    staff_user.is_active = False
    staff_user.save()
    OutboundEmail.objects.all().delete()

    report_transition(
        report=report, to_status=ReportStatus.CHANGES_REQUESTED, by=official_user, comment="x"
    )

    assert OutboundEmail.objects.count() == 0


def test_approval_records_the_review_and_emails_the_submitter(
    mission, staff_user, official_user, handed_over
):
    report = _report(mission)
    report_transition(report=report, to_status=ReportStatus.SUBMITTED, by=staff_user)
    OutboundEmail.objects.all().delete()

    approved = report_transition(report=report, to_status=ReportStatus.APPROVED, by=official_user)

    assert approved.status == ReportStatus.APPROVED
    assert (approved.reviewed_by, approved.reviewer_comment) == (official_user, "")
    assert _history(report)[-1] == (
        ReportStatus.SUBMITTED,
        ReportStatus.APPROVED,
        official_user,
        "",
    )
    assert [(e.recipient, e.template_key) for e in OutboundEmail.objects.all()] == [
        (staff_user.email, "report_approved")
    ]


def test_emails_are_queued_once_per_recorded_change(mission, staff_user, officials, handed_over):
    report = _report(mission)
    report_transition(report=report, to_status=ReportStatus.SUBMITTED, by=staff_user)

    # A second click finds the report submitted: refused, nothing more queued.
    _refusal(report=report, to_status=ReportStatus.SUBMITTED, by=staff_user)

    assert OutboundEmail.objects.count() == 2


def test_the_mission_becomes_reported_once_the_report_is_approved(
    mission, staff_user, official_user, handed_over
):
    report = _report(mission)
    report_transition(report=report, to_status=ReportStatus.SUBMITTED, by=staff_user)
    with pytest.raises(TransitionError) as raised:
        mission_transition(mission=mission, to_status=MissionStatus.REPORTED, by=staff_user)
    assert raised.value.messages == ["The mission's report is not approved yet."]

    report_transition(report=report, to_status=ReportStatus.APPROVED, by=official_user)
    reported = mission_transition(mission=mission, to_status=MissionStatus.REPORTED, by=staff_user)

    assert reported.status == MissionStatus.REPORTED


@pytest.mark.parametrize("mission_status", MissionStatus.values)
@pytest.mark.parametrize(
    ("from_status", "to_status"),
    [
        (ReportStatus.DRAFT, ReportStatus.SUBMITTED),
        (ReportStatus.SUBMITTED, ReportStatus.APPROVED),
    ],
)
def test_a_report_is_submitted_and_approved_only_once_the_mission_took_place(
    mission_status, from_status, to_status
):
    report = _report(MissionFactory(status=mission_status), status=from_status)
    taken_place = mission_status in ("completed", "reported")

    if taken_place:
        report_transition(report=report, to_status=to_status, by=StaffFactory())
    else:
        with pytest.raises(TransitionError, match="The mission has not taken place yet"):
            report_transition(report=report, to_status=to_status, by=StaffFactory())

    report.refresh_from_db()
    assert report.status == (to_status if taken_place else from_status)
