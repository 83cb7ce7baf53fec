"""The report's review pages: who may edit the narrative and move the report, what each
role is told, the form's errors by the field, and the review panel per role."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation

from missions.enums import MissionStatus
from missions.tests.factories import MissionFactory
from reports.enums import ReportStatus
from reports.models import MissionReport
from reports.services import report_transition
from reports.tests.factories import MissionReportFactory

pytestmark = pytest.mark.django_db

SECRET = "Budget overrun of 12,000 € on the Tokyo leg"


@pytest.fixture(autouse=True)
def _in_english(client):
    client.cookies["django_language"] = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def mission():
    return MissionFactory(slug="japon-2027", status=MissionStatus.COMPLETED)


@pytest.fixture
def report(mission):
    return MissionReportFactory(mission=mission, narrative=SECRET)


def _edit(mission):
    return reverse("reports:report_edit", kwargs={"slug": mission.slug})


def _move(mission):
    return reverse("reports:report_transition", kwargs={"slug": mission.slug})


REPORT_PAGE = "/missions/japon-2027/report/"


def _messages(response) -> list[str]:
    return [str(m) for m in response.wsgi_request._messages]


# Who may reach the pages ---------------------------------------------------------------


def test_anonymous_is_asked_to_log_in(client, mission, report):
    for response in (
        client.get(_edit(mission)),
        client.post(_edit(mission), {"narrative": "x"}),
        client.post(_move(mission), {"to_status": "submitted"}),
    ):
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")
    report.refresh_from_db()
    assert (report.narrative, report.status) == (SECRET, ReportStatus.DRAFT)


@pytest.mark.parametrize("to_status", ["submitted", "approved", "changes_requested"])
def test_company_member_finds_nothing(client, company_member, mission, report, to_status):
    client.force_login(company_member)

    get = client.get(_edit(mission))
    post = client.post(_edit(mission), {"narrative": "x"})
    move = client.post(_move(mission), {"to_status": to_status, "comment": "x"})

    assert (get.status_code, post.status_code, move.status_code) == (404, 404, 404)
    assert SECRET not in get.content.decode()
    report.refresh_from_db()
    assert (report.narrative, report.status) == (SECRET, ReportStatus.DRAFT)


def test_official_cannot_edit_the_narrative(client, official_user, mission, report):
    client.force_login(official_user)

    assert client.get(_edit(mission)).status_code == 404
    assert client.post(_edit(mission), {"narrative": "x"}).status_code == 404
    report.refresh_from_db()
    assert report.narrative == SECRET


def test_transition_is_post_only(client, staff_user, mission, report):
    client.force_login(staff_user)

    assert client.get(_move(mission)).status_code == 405


def test_unknown_mission_is_404(client, staff_user):
    client.force_login(staff_user)

    assert client.get("/missions/nowhere/report/edit/").status_code == 404
    assert (
        client.post("/missions/nowhere/report/review/", {"to_status": "submitted"}).status_code
        == 404
    )


# Staff edit -------------------------------------------------------------------------------


def test_staff_see_the_form_with_the_narrative(client, staff_user, mission, report):
    client.force_login(staff_user)

    response = client.get(_edit(mission))

    assert response.status_code == 200
    assert response.context["form"].initial == {"narrative": SECRET}


def test_staff_first_save_creates_the_report(client, staff_user, mission):
    client.force_login(staff_user)

    response = client.post(_edit(mission), {"narrative": "Twelve companies."})

    assert response.status_code == 302
    assert response["Location"] == REPORT_PAGE
    assert MissionReport.objects.get().narrative == "Twelve companies."
    assert _messages(response) == ["The report is saved."]


def test_too_long_narrative_is_refused_by_the_field_with_the_text_kept(
    client, staff_user, mission, report
):
    client.force_login(staff_user)
    typed = "y" * 20_001

    response = client.post(_edit(mission), {"narrative": typed})

    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors == {
        "narrative": ["The narrative is too long: at most 20,000 characters (it has 20,001)."]
    }
    assert form["narrative"].value() == typed
    assert typed in response.content.decode()
    report.refresh_from_db()
    assert report.narrative == SECRET


def test_editing_a_submitted_report_is_refused_with_a_message(client, staff_user, mission):
    MissionReportFactory(mission=mission, status=ReportStatus.SUBMITTED, narrative=SECRET)
    client.force_login(staff_user)

    get = client.get(_edit(mission))
    post = client.post(_edit(mission), {"narrative": "Changed."})

    assert (get.status_code, get["Location"]) == (302, REPORT_PAGE)
    assert _messages(get) == [
        "This report awaits an official's review: it cannot be changed until it is sent back."
    ]
    assert post.status_code == 200
    assert post.context["form"].non_field_errors() == [
        "This report awaits an official's review: it cannot be changed until it is sent back."
    ]
    assert MissionReport.objects.get().narrative == SECRET


# Transitions by role --------------------------------------------------------------------


def test_staff_submit(client, staff_user, mission, report, handed_over):
    client.force_login(staff_user)

    response = client.post(_move(mission), {"to_status": "submitted"})

    assert response.status_code == 302
    assert response["Location"] == REPORT_PAGE + "#review"
    assert _messages(response) == [
        "The report is submitted: the officials are told it awaits their review."
    ]
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED


@pytest.mark.parametrize("to_status", ["approved", "changes_requested"])
def test_staff_may_not_review(client, staff_user, mission, to_status):
    report = MissionReportFactory(mission=mission, status=ReportStatus.SUBMITTED)
    client.force_login(staff_user)

    response = client.post(_move(mission), {"to_status": to_status, "comment": "ok"})

    assert _messages(response) == ["Only an official can approve a report or send it back."]
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED


def test_official_may_not_submit(client, official_user, mission, report):
    client.force_login(official_user)

    response = client.post(_move(mission), {"to_status": "submitted"})

    assert _messages(response) == ["Only the city's staff can submit a report."]
    report.refresh_from_db()
    assert report.status == ReportStatus.DRAFT


def test_official_approving_an_unsubmitted_report_is_told_why(
    client, official_user, mission, report
):
    client.force_login(official_user)

    response = client.post(_move(mission), {"to_status": "approved"})

    assert response.status_code == 302
    assert _messages(response) == [
        "This report has not been submitted: it cannot be approved yet."
    ]
    report.refresh_from_db()
    assert report.status == ReportStatus.DRAFT


def test_official_reviewing_a_missing_report_is_told_why(client, official_user, mission):
    client.force_login(official_user)

    response = client.post(_move(mission), {"to_status": "approved"})

    assert _messages(response) == [
        "This report has not been submitted: it cannot be reviewed yet."
    ]
    assert MissionReport.objects.count() == 0


def test_official_sending_back_without_a_comment_is_told_why(client, official_user, mission):
    report = MissionReportFactory(mission=mission, status=ReportStatus.SUBMITTED)
    client.force_login(official_user)

    response = client.post(_move(mission), {"to_status": "changes_requested", "comment": " "})

    assert _messages(response) == [
        "Say what should change: a comment is required to send the report back."
    ]
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED


def test_official_comment_refused_by_the_state_comes_back_in_the_form(
    client, official_user, mission
):
    MissionReportFactory(mission=mission, status=ReportStatus.APPROVED)
    client.force_login(official_user)

    response = client.post(
        _move(mission),
        {"to_status": "changes_requested", "comment": "Détaillez les pistes & les coûts."},
        follow=True,
    )

    content = response.content.decode()
    # The report was approved meanwhile: no form any more, the text is shown to copy.
    assert "Détaillez les pistes &amp; les coûts." in content
    # Given back once: the next visit starts empty.
    again = client.get(reverse("reports:report", kwargs={"slug": mission.slug}))
    assert "Détaillez les pistes" not in again.content.decode()


def test_official_sends_back_with_a_comment(client, official_user, mission, handed_over):
    report = MissionReportFactory(mission=mission, status=ReportStatus.SUBMITTED)
    client.force_login(official_user)

    response = client.post(
        _move(mission), {"to_status": "changes_requested", "comment": "Add the leads."}
    )

    assert _messages(response) == ["The report is sent back to the staff with your comment."]
    report.refresh_from_db()
    assert (report.status, report.reviewer_comment) == (
        ReportStatus.CHANGES_REQUESTED,
        "Add the leads.",
    )


def test_official_approves(client, official_user, mission, handed_over):
    report = MissionReportFactory(mission=mission, status=ReportStatus.SUBMITTED)
    client.force_login(official_user)

    response = client.post(_move(mission), {"to_status": "approved"})

    assert _messages(response) == ["The report is approved."]
    report.refresh_from_db()
    assert (report.status, report.reviewed_by) == (ReportStatus.APPROVED, official_user)


# The review panel --------------------------------------------------------------------------

PANEL = Template('{% include "reports/includes/report_review.html" %}')


def _panel(user, mission, report) -> str:
    return PANEL.render(Context({"mission": mission, "report": report, "user": user}))


def test_panel_is_empty_for_a_company_member(company_member, mission, report):
    assert _panel(company_member, mission, report).strip() == ""
    assert _panel(AnonymousUser(), mission, report).strip() == ""


def test_panel_for_staff_on_a_draft(staff_user, mission, report):
    html = _panel(staff_user, mission, report)

    assert "Edit the narrative" in html
    assert "Submit for review" in html
    assert "Approve the report" not in html


def test_panel_for_staff_without_narrative(staff_user, mission):
    report = MissionReportFactory(mission=mission, narrative="")

    html = _panel(staff_user, mission, report)

    assert "Submit for review" not in html
    assert "Write the narrative before submitting the report." in html


def test_panel_for_official_shows_the_review_form_and_the_history(
    staff_user, official_user, mission, report, handed_over, django_assert_num_queries
):
    report_transition(report=report, to_status=ReportStatus.SUBMITTED, by=staff_user)
    report.refresh_from_db()
    official_user.groups.all()  # the user as the request has it: groups looked up once
    with django_assert_num_queries(2):  # the user's groups, the history with its authors
        html = _panel(official_user, mission, report)

    assert "Approve the report" in html
    assert "Send back with a comment" in html
    assert "Edit the narrative" not in html
    assert "Draft → Awaiting review" in html
    assert "Sophie Martin" in html


def test_panel_for_official_on_a_draft_says_there_is_nothing_to_review(
    official_user, mission, report
):
    html = _panel(official_user, mission, report)

    assert "This report has not been submitted yet: there is nothing to review." in html
    assert "Approve the report" not in html
