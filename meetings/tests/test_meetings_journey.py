"""Qualified B2B meetings in the browser: a company requests three meetings; staff qualify
two, run the scheduler and send the invitations; the company downloads its agenda; a
counterpart accepts through the link of its invitation, without an account."""

import datetime
import io
import re

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from accounts.tests.factories import PASSWORD
from companies.tests.factories import CompanyFactory, CompanyMemberFactory
from delegations.enums import ApplicationStatus
from delegations.tests.factories import ApplicationFactory
from meetings.enums import MeetingRequestStatus, MeetingStatus
from meetings.models import Meeting, MeetingRequest
from meetings.services.grid import grid_configure
from meetings.tests.factories import CounterpartFactory
from missions.enums import MissionStatus
from missions.tests.factories import MissionFactory
from notifications.models import OutboundEmail
from portal.tests.browser import audit, describe, log_in, use_language

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

START = datetime.date(2027, 7, 5)
ORGANISATIONS = ["Maple Ventures", "Lake Capital", "Ontario Ports"]


@pytest.fixture
def setting(staff_user):
    mission = MissionFactory(
        title="Canada — Toronto et Montréal 2027",
        status=MissionStatus.CONFIRMED,
        timezone="America/Toronto",
        start_date=START,
        end_date=START + datetime.timedelta(days=4),
    )
    company = CompanyFactory(name="Transpare")
    member = CompanyMemberFactory(
        email="ali@transpare.example", language="en", membership__company=company
    )
    application = ApplicationFactory(
        mission=mission, company=company, status=ApplicationStatus.CONFIRMED
    )
    counterparts = [
        CounterpartFactory(mission=mission, organisation=name, language="en")
        for name in ORGANISATIONS
    ]
    grid_configure(
        mission=mission,
        by=staff_user,
        sessions=[{"date": START.isoformat(), "start": "09:00", "end": "11:00"}],
        slot_minutes=30,
        tables=4,
    )
    return mission, member, application, counterparts


def test_request_qualify_schedule_agenda_and_counterpart_accepts(
    page, live_server, staff_user, setting, handed_over
):
    mission, member, application, counterparts = setting
    use_language(page, live_server, "en")

    # 1. The company asks for three meetings from its application's page.
    log_in(page, live_server, member.email, PASSWORD)
    page.goto(f"{live_server.url}{application.get_absolute_url()}")
    page.get_by_role("link", name="Request meetings").click()
    for organisation, priority in zip(ORGANISATIONS, ["3", "2", "1"], strict=True):
        form = page.locator("main form").filter(has=page.get_by_label("Rationale"))
        form.get_by_label("Counterpart").select_option(label=organisation)
        form.locator(f'input[name=priority][value="{priority}"]').check()
        form.get_by_label("Rationale").fill(f"{organisation} buys solar films.")
        form.get_by_role("button", name="Request the meeting").click()
        expect(page.get_by_role("region", name="Your requests")).to_contain_text(organisation)
    assert MeetingRequest.objects.filter(status=MeetingRequestStatus.REQUESTED).count() == 3
    assert audit(page) == [], describe(audit(page))
    page.get_by_role("button", name="Log out").click()

    # 2. Staff qualify two of them, run the scheduler and send the invitations.
    log_in(page, live_server, staff_user.email, PASSWORD)
    page.goto(f"{live_server.url}/delegations/missions/{mission.pk}/requests/")
    for organisation in ORGANISATIONS[:2]:
        page.get_by_role("link", name=f"Qualify Transpare ↔ {organisation}").click()
        page.get_by_label("Purpose of the meeting").fill("Distribution in Ontario")
        page.get_by_role("button", name="Qualify").click()
        expect(page.get_by_role("heading", level=1)).to_contain_text("Meeting requests of")
    page.goto(f"{live_server.url}/delegations/missions/{mission.pk}/grid/")
    page.get_by_role("button", name="Run the scheduler").click()
    grid = page.locator("#meetings").get_by_role("table").first
    expect(grid).to_contain_text("Maple Ventures")
    expect(grid).to_contain_text("Lake Capital")
    expect(grid).not_to_contain_text("Ontario Ports")
    assert audit(page) == [], describe(audit(page))
    page.get_by_role("link", name="Send the invitations (2)").click()
    # A look first: who gets what, in which language, and the first invitation itself;
    # nothing is sent yet.
    expect(page.locator("#invite-summary")).to_contain_text("2 meetings are not invited yet.")
    expect(page.locator("#invite-sample-1")).to_contain_text("Meeting request from Transpare")
    assert audit(page) == [], describe(audit(page))
    assert Meeting.objects.filter(invited_at__isnull=False).count() == 0
    assert not OutboundEmail.objects.filter(template_key__startswith="meeting_").exists()
    page.get_by_role("button", name=re.compile(r"^Send \d+ invitations$")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Meeting grid")
    assert Meeting.objects.filter(invited_at__isnull=False).count() == 2
    page.get_by_role("button", name="Log out").click()

    # 3. The company downloads its agenda to print.
    log_in(page, live_server, member.email, PASSWORD)
    page.goto(f"{live_server.url}{application.get_absolute_url()}")
    page.get_by_role("link", name="My agenda").click()
    expect(page.get_by_role("main")).to_contain_text("Toronto time")
    assert audit(page) == [], describe(audit(page))
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the PDF to print").click()
    pdf = download.value.path().read_bytes()
    assert pdf.startswith(b"%PDF")
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    assert "Maple Ventures" in text
    assert "Lake Capital" in text
    assert "Ontario Ports" not in text

    # 4. Maple Ventures accepts through the link of its invitation, with no account.
    page.get_by_role("button", name="Log out").click()
    invitation = OutboundEmail.objects.get(
        template_key="meeting_invitation_counterpart", recipient=counterparts[0].email
    )
    assert invitation.language == "en"
    page.goto(invitation.context["respond_url"])
    expect(page.get_by_role("heading", level=1)).to_have_text("Meeting with Transpare")
    assert audit(page) == [], describe(audit(page))
    page.get_by_role("button", name="Accept the meeting").click()
    meeting = Meeting.objects.get(counterpart=counterparts[0])
    assert meeting.status == MeetingStatus.CONFIRMED
    assert meeting.responded_at is not None
