"""A staff member plans a mission in the browser, from nothing to the call for applications."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.tests.factories import PASSWORD
from companies.tests.factories import CompanyMemberFactory
from missions.enums import MissionStatus
from missions.models import Mission
from missions.tests.factories import SectorFactory
from notifications.models import EmailStatus, OutboundEmail
from portal.celery import app
from portal.tests.browser import audit, describe, log_in, use_language

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def tasks_in_process():
    """Celery runs the campaign's tasks in the web process, as in `make run`.

    What is tested here is the staff journey; delivery by real workers is tested
    in notifications/tests/test_worker.py.
    """
    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous


def _company_in(sector, name: str, email: str, language: str = "fr"):
    member = CompanyMemberFactory(email=email, language=language, membership__company__name=name)
    member.membership.company.sectors.add(sector)
    return member


def test_staff_creates_mission_adds_programme_opens_it_and_sends_the_call(
    page, live_server, staff_user, tasks_in_process
):
    digital = SectorFactory(
        code="digital", name_fr="Numérique", name_en="Digital and creative industries"
    )
    maritime = SectorFactory(code="maritime", name_fr="Maritime", name_en="Maritime")
    _company_in(digital, "Vworld", "florent@vworld.example")
    _company_in(digital, "Transpare", "ali@transpare.example", language="en")
    _company_in(maritime, "Port Only", "capitaine@port.example")
    start = timezone.localdate() + datetime.timedelta(days=120)
    deadline = start - datetime.timedelta(days=30)

    use_language(page, live_server, "en")
    log_in(page, live_server, staff_user.email, PASSWORD)

    # 1. Create the mission.
    page.goto("/missions/new/")
    page.get_by_label("Title").fill("Canada — Toronto et Montréal")
    page.get_by_label("Destination country").select_option("CA")
    page.get_by_label("Destination cities").fill("Toronto, Montréal")
    page.get_by_label("Destination time zone").select_option("America/Toronto")
    page.get_by_label("Start date").fill(start.isoformat())
    page.get_by_label("End date").fill((start + datetime.timedelta(days=4)).isoformat())
    page.get_by_label("Digital and creative industries").check()
    page.get_by_label("Capacity (companies)").fill("30")
    page.get_by_label("Application deadline (Paris time)").fill(f"{deadline.isoformat()}T12:00")
    page.get_by_role("button", name="Create the mission").click()

    mission = Mission.objects.get()
    expect(page).to_have_url(f"{live_server.url}{mission.get_absolute_url()}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Canada — Toronto et Montréal")

    # 2. Two events of its programme, in Toronto time.
    for title, day, hour in [("Qualified B2B meetings", 1, "09:00"), ("Startup Fest", 3, "10:00")]:
        page.get_by_role("link", name="Add an event").click()
        page.get_by_label("Title").fill(title)
        page.get_by_label("City").fill("Toronto" if day == 1 else "Montréal")
        when = (start + datetime.timedelta(days=day)).isoformat()
        page.get_by_label("Starts (Toronto time)").fill(f"{when}T{hour}")
        page.get_by_label("Ends (Toronto time)").fill(f"{when}T17:00")
        page.get_by_role("button", name="Save the event").click()
        expect(page.locator("#programme")).to_contain_text(title)
    assert [item.title for item in mission.programme.order_by("starts_at")] == [
        "Qualified B2B meetings",
        "Startup Fest",
    ]
    first = mission.programme.order_by("starts_at").first()
    assert first.starts_at.astimezone(mission.zone).strftime("%H:%M") == "09:00"

    # 3. Open it for applications, after reading what opening does.
    page.get_by_role("link", name="Open for applications").click()
    expect(page.locator("#transition-consequences")).to_contain_text("cannot go back to draft")
    assert audit(page) == [], describe(audit(page))
    mission.refresh_from_db()
    assert mission.status == MissionStatus.DRAFT
    page.get_by_role("button", name="Open for applications").click()
    expect(page.locator("main")).to_contain_text("Calls for applications")
    mission.refresh_from_db()
    assert mission.status == MissionStatus.OPEN

    # 4. Send the call: the audience is the digital companies, 2 people.
    page.get_by_role("link", name="Send a call for applications").click()
    page.get_by_role("button", name="Preview").click()
    expect(page.locator("#recipient-count")).to_contain_text("2 companies")
    page.get_by_role("button", name="Start the call for applications").click()
    expect(page).to_have_url(re.compile(r"/outbox/campaigns/\d+/$"))

    # 5. The emails are in the outbox, each in its recipient's language.
    emails = OutboundEmail.objects.filter(
        topic_id=mission.pk, template_key="call_for_applications"
    )
    assert sorted(emails.values_list("recipient", "language")) == [
        ("ali@transpare.example", "en"),
        ("florent@vworld.example", "fr"),
    ]
    assert set(emails.values_list("status", flat=True)) == {EmailStatus.SENT}
    page.goto(f"/outbox/?mission={mission.pk}")
    expect(page.locator("main")).to_contain_text("ali@transpare.example")
    expect(page.locator("main")).to_contain_text("florent@vworld.example")
    expect(page.locator("main")).not_to_contain_text("capitaine@port.example")
