"""Fair agendas in the browser: staff run the scheduler balanced, read the fewest / median
/ most meetings per company, run it for the most priority and compare the two runs, which
the grid keeps."""

import datetime

import pytest
from playwright.sync_api import expect

from accounts.tests.factories import PASSWORD
from companies.tests.factories import CompanyFactory
from delegations.enums import ApplicationStatus
from delegations.tests.factories import ApplicationFactory
from meetings.enums import MeetingRequestStatus
from meetings.models import Meeting
from meetings.services.grid import grid_configure
from meetings.tests.factories import CounterpartFactory, MeetingRequestFactory
from missions.enums import MissionStatus
from missions.tests.factories import MissionFactory
from portal.tests.browser import audit, describe, log_in, use_language

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

START = datetime.date(2027, 7, 5)


@pytest.fixture
def mission(staff_user):
    """Two slots, one table: Calanques Tech asks two strong meetings, Provence Bio one weak
    one; most priority leaves Provence Bio with none."""
    mission = MissionFactory(
        title="Canada 2027",
        status=MissionStatus.CONFIRMED,
        timezone="America/Toronto",
        start_date=START,
        end_date=START + datetime.timedelta(days=4),
    )
    grid_configure(
        mission=mission,
        by=staff_user,
        sessions=[{"date": START.isoformat(), "start": "09:00", "end": "10:00"}],
        slot_minutes=30,
        tables=1,
    )
    tech, bio = (
        ApplicationFactory(
            mission=mission, company=CompanyFactory(name=name), status=ApplicationStatus.CONFIRMED
        )
        for name in ("Calanques Tech", "Provence Bio")
    )
    maple, lake = (
        CounterpartFactory(mission=mission, organisation=name)
        for name in ("Maple Ventures", "Lake Capital")
    )
    for application, counterpart, priority in ((tech, maple, 3), (tech, lake, 3), (bio, maple, 1)):
        MeetingRequestFactory(
            application=application,
            counterpart=counterpart,
            priority=priority,
            status=MeetingRequestStatus.QUALIFIED,
        )
    return mission


def test_staff_run_balanced_then_priority_and_compare(page, live_server, staff_user, mission):
    use_language(page, live_server, "en")
    log_in(page, live_server, staff_user.email, PASSWORD)
    page.goto(f"{live_server.url}/delegations/missions/{mission.pk}/grid/")

    # 1. Balanced: every company has a meeting.
    page.get_by_label("Balanced: first as many meetings as possible").check()
    page.get_by_role("button", name="Run the scheduler").click()
    runs = page.locator("#runs")
    expect(runs.locator('td[data-run="balanced"][data-report="fewest"]')).to_contain_text("1")
    expect(runs.locator('td[data-run="balanced"][data-report="median"]')).to_have_text("1")
    expect(runs.locator('td[data-run="balanced"][data-report="most"]')).to_have_text("1")
    expect(page.locator("#meetings")).to_contain_text("Provence Bio")
    assert Meeting.objects.filter(application__company__name="Provence Bio").count() == 1
    assert audit(page) == [], describe(audit(page))

    # 2. Most priority, to compare: Provence Bio is the one left with none.
    expect(page.get_by_label("Balanced: first as many meetings as possible")).to_be_checked()
    page.get_by_label("Most priority: the most important meetings first").check()
    page.get_by_role("button", name="Run the scheduler").click()
    fewest = runs.locator('td[data-run="priority"][data-report="fewest"]')
    expect(fewest).to_contain_text("0")
    expect(fewest).to_contain_text("Provence Bio")
    expect(runs.locator('td[data-run="priority"][data-report="most"]')).to_have_text("2")
    # The balanced run is still there beside it; the grid shows the latest.
    expect(runs.locator('td[data-run="balanced"][data-report="fewest"]')).to_contain_text("1")
    expect(runs.locator("thead th").nth(1)).to_contain_text("on the grid")
    expect(runs.locator("thead th").nth(1)).to_contain_text("Most priority")
    expect(page.locator("#meetings")).not_to_contain_text("Provence Bio")
    assert audit(page) == [], describe(audit(page))

    # 3. The same comparison in French.
    use_language(page, live_server, "fr")
    page.reload()
    expect(page.locator("#report")).to_contain_text("Équilibré")
    expect(page.locator("#report")).to_contain_text("Le moins de rendez-vous d'une entreprise")
