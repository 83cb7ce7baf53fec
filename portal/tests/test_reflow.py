"""WCAG 1.4.10 on the city's working pages: at 320 px wide (a phone, or a laptop zoomed to
400%) nothing lies beyond the right edge; wide tables scroll inside their own box."""

import datetime

import pytest

from accounts.tests.factories import PASSWORD
from delegations.enums import ApplicationStatus
from delegations.tests.factories import ApplicationFactory
from meetings.enums import MeetingRequestStatus
from meetings.services.grid import grid_configure, meetings_schedule
from meetings.tests.factories import CounterpartFactory, MeetingRequestFactory
from missions.enums import MissionStatus
from missions.tests.factories import MissionFactory
from portal.tests.browser import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

START = datetime.date(2027, 7, 5)
BEYOND_THE_EDGE = """() => [...document.querySelectorAll("body *")]
    .filter(el => !el.closest(".table-responsive"))
    .filter(el => el.getBoundingClientRect().right > window.innerWidth + 1)
    .map(el => el.outerHTML.slice(0, 80))"""


@pytest.fixture
def mission(staff_user):
    mission = MissionFactory(
        title="Canada — Toronto et Montréal 2027",
        status=MissionStatus.CONFIRMED,
        timezone="America/Toronto",
        start_date=START,
        end_date=START + datetime.timedelta(days=4),
        budget_planned=42000,
    )
    grid_configure(
        mission=mission,
        by=staff_user,
        sessions=[{"date": START.isoformat(), "start": "09:00", "end": "12:00"}],
        slot_minutes=30,
        tables=6,
    )
    counterparts = [CounterpartFactory(mission=mission) for _ in range(4)]
    for n in range(4):
        application = ApplicationFactory(mission=mission, status=ApplicationStatus.CONFIRMED)
        for counterpart in counterparts[:3]:
            MeetingRequestFactory(
                application=application,
                counterpart=counterpart,
                status=MeetingRequestStatus.QUALIFIED,
                priority=1 + n % 3,
            )
    meetings_schedule(mission=mission, by=staff_user)
    return mission


def test_city_pages_reflow_on_a_phone(page, live_server, staff_user, mission):
    application = mission.applications.first()
    log_in(page, live_server, staff_user.email, PASSWORD)
    page.set_viewport_size({"width": 320, "height": 800})

    for url in (
        f"/delegations/missions/{mission.pk}/grid/",
        f"/delegations/missions/{mission.pk}/requests/",
        f"/delegations/missions/{mission.pk}/counterparts/",
        f"/delegations/missions/{mission.pk}/applications/",
        f"/delegations/applications/{application.pk}/agenda/",
        f"/missions/{mission.slug}/report/",
        f"/missions/reports/{START.year}/",
    ):
        response = page.goto(f"{live_server.url}{url}")
        assert response.status == 200, url
        assert page.evaluate(BEYOND_THE_EDGE) == [], url
        assert page.evaluate("document.documentElement.scrollWidth") == 320, url


def test_company_pages_reflow_on_a_phone(page, live_server, mission):
    from companies.tests.factories import MembershipFactory

    application = mission.applications.first()
    member = MembershipFactory(company=application.company).user
    log_in(page, live_server, member.email, PASSWORD)
    page.set_viewport_size({"width": 320, "height": 800})

    for url in (
        "/",
        f"/delegations/applications/{application.pk}/",
        f"/delegations/applications/{application.pk}/meetings/",
        f"/delegations/applications/{application.pk}/agenda/",
        f"/delegations/missions/{mission.pk}/delegation/",
    ):
        response = page.goto(f"{live_server.url}{url}")
        assert response.status == 200, url
        assert page.evaluate(BEYOND_THE_EDGE) == [], url
        assert page.evaluate("document.documentElement.scrollWidth") == 320, url
