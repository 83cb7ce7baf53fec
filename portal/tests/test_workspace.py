"""A mission's workspace (portal/workspace.py): every page of a mission one click away
with what waits there, and the staff's home saying what waits across missions."""

import html
import re

import pytest
from django.urls import reverse

from delegations.enums import ApplicationStatus
from delegations.tests.factories import ApplicationFactory
from meetings.enums import MeetingRequestStatus, MeetingStatus
from meetings.tests.factories import (
    CounterpartFactory,
    MeetingFactory,
    MeetingGridFactory,
    MeetingRequestFactory,
    MeetingSlotFactory,
)
from missions.tests.factories import OpenMissionFactory
from portal.tests.crawling import crawl
from portal.workspace import workspace_counts
from reports.enums import ReportStatus
from reports.tests.factories import MissionReportFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english_pages(client):
    """Pages in English, chosen with the switcher (the users' saved language is French);
    a test of the French pages says so."""
    client.cookies["django_language"] = "en"


@pytest.fixture
def mission():
    """2 applications to review, 1 seat taken, 4 counterparts, 1 request to qualify, 1
    qualified and not placed, 1 meeting placed and 1 declined by its counterpart."""
    mission = OpenMissionFactory(title="Toronto 2027", capacity=30)
    ApplicationFactory.create_batch(2, mission=mission)
    accepted = ApplicationFactory(mission=mission, status=ApplicationStatus.ACCEPTED)
    counterparts = CounterpartFactory.create_batch(4, mission=mission)
    MeetingRequestFactory(application=accepted, counterpart=counterparts[0])
    MeetingRequestFactory(
        application=accepted, counterpart=counterparts[1], status=MeetingRequestStatus.QUALIFIED
    )
    grid = MeetingGridFactory(mission=mission)
    for counterpart, status in zip(
        counterparts[2:], (MeetingStatus.SCHEDULED, MeetingStatus.DECLINED), strict=True
    ):
        MeetingFactory(
            request__application=accepted,
            request__counterpart=counterpart,
            request__status=MeetingRequestStatus.SCHEDULED,
            slot=MeetingSlotFactory(grid=grid),
            status=status,
        )
    return mission


def _tabs(response) -> list[str]:
    nav = re.search(r'id="mission-workspace">(.*?)</nav>', response.content.decode(), re.S)
    if nav is None:
        return []
    return [
        html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", item)).strip())
        for item in re.findall(r"<li[^>]*>(.*?)</li>", nav.group(1), re.S)
    ]


def test_the_counts_of_the_workspace_in_one_query(mission, django_assert_num_queries):
    with django_assert_num_queries(1):
        counts = workspace_counts(mission)

    assert counts == {
        "to_review": 2,
        "seats_taken": 1,
        "counterpart_count": 4,
        "to_qualify": 1,
        "to_place": 1,
        "meeting_count": 1,
        "declined": 1,
        "report_status": None,
    }


@pytest.mark.parametrize(
    "name", ["missions:detail", "delegations:review", "meetings:requests", "reports:report"]
)
def test_staff_see_every_page_of_the_mission_with_what_waits(client, staff_user, mission, name):
    client.force_login(staff_user)
    args = [mission.slug] if name in ("missions:detail", "reports:report") else [mission.pk]

    response = client.get(reverse(name, args=args))

    assert _tabs(response) == [
        "Overview",
        "Applications 2 to review",
        "Delegation 1 of 30 seats",
        "Counterparts 4",
        "Meeting requests 1 to qualify",
        "Meeting grid 1 meeting 1 not placed 1 declined",
        "Emails and calls",
        "Report Draft",
    ]
    assert response.content.decode().count('aria-current="page"') >= 1


def test_the_workspace_in_french(client, staff_user, mission):
    client.force_login(staff_user)
    client.cookies["django_language"] = "fr"

    response = client.get(mission.get_absolute_url())

    assert _tabs(response)[:3] == [
        "Vue d'ensemble",
        "Candidatures 2 à examiner",
        "Délégation 1 places sur 30",
    ]


def test_officials_see_the_pages_they_may_open(client, official_user, mission):
    MissionReportFactory(mission=mission, status=ReportStatus.CHANGES_REQUESTED)
    client.force_login(official_user)

    response = client.get(mission.get_absolute_url())

    assert [tab.split(" ")[0] for tab in _tabs(response)] == [
        "Overview",
        "Delegation",
        "Counterparts",
        "Meeting",
        "Meeting",
        "Report",
    ]
    assert _tabs(response)[-1] == "Report Changes requested"


def test_companies_see_no_workspace(client, company_member, mission):
    client.force_login(company_member)

    assert _tabs(client.get(mission.get_absolute_url())) == []


def test_the_staff_home_says_what_waits_across_missions(client, staff_user, mission):
    sent_back = MissionReportFactory(status=ReportStatus.CHANGES_REQUESTED)
    client.force_login(staff_user)

    page = client.get(reverse("home")).content.decode()

    waiting = page.split('id="meetings-waiting"', 1)[1].split("</section>", 1)[0]
    assert "Toronto 2027" in waiting
    assert "1 request to qualify" in waiting
    assert "1 meeting declined by the counterpart" in waiting
    assert reverse("meetings:requests", args=[mission.pk]) + "?status=requested" in waiting
    sent = page.split('id="reports-sent-back"', 1)[1].split("</section>", 1)[0]
    assert sent_back.mission.title in sent


def test_staff_reach_every_page_of_a_mission_by_links_from_their_home(client, staff_user, mission):
    client.force_login(staff_user)

    reached = crawl(client).kinds

    assert {
        "missions:detail",
        "delegations:review",
        "delegations:delegation",
        "meetings:counterparts",
        "meetings:requests",
        "meetings:grid",
        "campaigns:outbox",
        "reports:report",
    } <= reached
