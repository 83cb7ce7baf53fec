"""The review of a mission's report in the browser, in English: staff write and submit
it; an official sends it back with a comment; staff change it and submit it again; the
official approves it and downloads the PDF."""

import re

import pytest
from playwright.sync_api import expect

from accounts.tests.factories import PASSWORD
from missions.enums import MissionStatus
from missions.tests.factories import MissionFactory
from notifications.models import OutboundEmail
from portal.tests.browser import audit, describe, log_in, use_language
from reports.enums import ReportStatus
from reports.models import MissionReport

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _log_out(page):
    page.get_by_role("button", name="Log out").click()


def test_staff_submit_official_sends_back_staff_resubmit_official_approves_and_downloads(
    page, live_server, staff_user, official_user, handed_over
):
    MissionFactory(title="Japon — Tokyo 2027", slug="japon-2027", status=MissionStatus.COMPLETED)
    report_page = f"{live_server.url}/missions/japon-2027/report/"
    use_language(page, live_server, "en")

    # 1. Staff write the narrative and submit the report.
    log_in(page, live_server, staff_user.email, PASSWORD)
    page.goto(report_page)
    page.get_by_role("link", name="Write the narrative").click()
    page.get_by_label("Narrative").fill("Ten companies met 64 counterparts in Tokyo.")
    page.get_by_role("button", name="Save the narrative").click()
    expect(page.get_by_text("The report is saved.")).to_be_visible()
    page.get_by_role("button", name="Submit for review").click()
    expect(
        page.get_by_text("The report is submitted: the officials are told it awaits their review.")
    ).to_be_visible()
    assert MissionReport.objects.get().status == ReportStatus.SUBMITTED
    assert list(OutboundEmail.objects.values_list("recipient", "template_key")) == [
        (official_user.email, "report_submitted")
    ]
    _log_out(page)

    # 2. The official finds it on their home page and sends it back with a comment.
    log_in(page, live_server, official_user.email, PASSWORD)
    page.get_by_role("link", name="Japon — Tokyo 2027").click()
    expect(page).to_have_url(re.compile(r"/missions/japon-2027/report/"))
    assert audit(page) == [], describe(audit(page))
    page.get_by_role("button", name="Send back with a comment").click()
    expect(
        page.get_by_text("Say what should change: a comment is required to send the report back.")
    ).to_be_visible()
    page.get_by_label("Comment for the staff").fill("Add the leads of the Kobe day.")
    page.get_by_role("button", name="Send back with a comment").click()
    expect(
        page.get_by_text("The report is sent back to the staff with your comment.")
    ).to_be_visible()
    _log_out(page)

    # 3. Staff see the comment, change the narrative, and submit again.
    log_in(page, live_server, staff_user.email, PASSWORD)
    page.goto(report_page)
    expect(page.locator("#reviewer-comment")).to_have_text("Add the leads of the Kobe day.")
    page.get_by_role("link", name="Edit the narrative").click()
    page.get_by_label("Narrative").fill(
        "Ten companies met 64 counterparts in Tokyo; 12 leads in Kobe."
    )
    page.get_by_role("button", name="Save the narrative").click()
    page.get_by_role("button", name="Submit again for review").click()
    expect(
        page.get_by_text("The report is submitted: the officials are told it awaits their review.")
    ).to_be_visible()
    _log_out(page)

    # 4. The official approves it and downloads the PDF.
    log_in(page, live_server, official_user.email, PASSWORD)
    page.goto(report_page)
    page.get_by_role("button", name="Approve the report").click()
    expect(page.get_by_text("The report is approved.", exact=True)).to_be_visible()
    report = MissionReport.objects.get()
    assert (report.status, report.reviewed_by) == (ReportStatus.APPROVED, official_user)
    assert [(c.from_status, c.to_status) for c in report.status_changes.all()] == [
        ("", ReportStatus.DRAFT),
        (ReportStatus.DRAFT, ReportStatus.SUBMITTED),
        (ReportStatus.SUBMITTED, ReportStatus.CHANGES_REQUESTED),
        (ReportStatus.CHANGES_REQUESTED, ReportStatus.SUBMITTED),
        (ReportStatus.SUBMITTED, ReportStatus.APPROVED),
    ]
    with page.expect_download() as download_info:
        page.locator('a[href$="/report.pdf"]').first.click()
    with open(download_info.value.path(), "rb") as pdf:
        assert pdf.read(4) == b"%PDF"
