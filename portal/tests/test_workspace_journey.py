"""Staff run a mission at Toronto's scale from their home page, by links only: fifty
meeting requests qualified in one action, twenty applications accepted in another; a
company reads why requests are not on its agenda. In French and English, on a desktop
and on a phone, axe-core clean on every page."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.tests.factories import PASSWORD
from companies.tests.factories import CompanyFactory
from delegations.enums import ApplicationStatus
from delegations.models import Application
from delegations.tests.factories import ApplicationFactory
from meetings.enums import MeetingRequestStatus, MeetingStatus
from meetings.models import Meeting, MeetingRequest
from meetings.services.grid import grid_configure, meetings_schedule
from meetings.tests.factories import CounterpartFactory, MeetingFactory, MeetingRequestFactory
from missions.enums import MissionStatus
from missions.tests.factories import MissionFactory, OpenMissionFactory
from portal.tests.browser import DESKTOP, PHONE, audit, describe, log_in, use_language

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WORDS = {
    "en": {
        "requests": re.compile(r"^50 requests to qualify$"),
        "everything": re.compile(r"^All 50 rows matching the filters"),
        "action": "Action",
        "qualify": "Qualify",
        "apply": "Apply to the selection",
        "qualified": "50 requests qualified.",
        "page_rows": "Select the rows of this page",
        "decision": "Decision",
        "accept": "Accept",
        "accepted": "20 decisions recorded: “Accepted”.",
    },
    "fr": {
        "requests": re.compile(r"^50 demandes à qualifier$"),
        "everything": re.compile(r"^Les 50 lignes qui répondent aux filtres"),
        "action": "Action",
        "qualify": "Qualifier",
        "apply": "Appliquer à la sélection",
        "qualified": "50 demandes qualifiées.",
        "page_rows": "Sélectionner les lignes de cette page",
        "decision": "Décision",
        "accept": "Accepter",
        "accepted": "20 décisions enregistrées : « Acceptée ».",
    },
}


@pytest.fixture
def toronto():
    """A confirmed mission with fifty requests to qualify, and a mission in selection
    with twenty applications to decide."""
    running = MissionFactory(title="Toronto 2027", status=MissionStatus.CONFIRMED)
    counterparts = [CounterpartFactory(mission=running) for _ in range(10)]
    for number in range(5):
        application = ApplicationFactory(
            mission=running,
            company=CompanyFactory(name=f"Delegate {number}"),
            status=ApplicationStatus.CONFIRMED,
        )
        for counterpart in counterparts:
            MeetingRequestFactory(
                application=application,
                counterpart=counterpart,
                rationale=f"Distribution of {application.company.name}'s products",
            )
    selecting = OpenMissionFactory(title="Tokyo 2027", capacity=30)
    for number in range(20):
        ApplicationFactory(
            mission=selecting,
            company=CompanyFactory(name=f"Applicant {number:02}", verified=True),
            status=ApplicationStatus.SUBMITTED,
            announced_status=ApplicationStatus.SUBMITTED,
            submitted_at=timezone.now(),
        )
    return running, selecting


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
@pytest.mark.parametrize("language", ["fr", "en"])
def test_staff_qualify_fifty_requests_and_decide_twenty_applications_in_one_action_each(
    page, live_server, staff_user, toronto, language, viewport
):
    words = WORDS[language]
    page.set_viewport_size(viewport)
    use_language(page, live_server, language)
    log_in(page, live_server, staff_user.email, PASSWORD)

    # From the home page: what waits, then the requests to qualify.
    page.locator("#meetings-waiting").get_by_role("link", name=words["requests"]).click()
    bulk = page.locator("#bulk")
    assert audit(page) == [], describe(audit(page))
    bulk.get_by_label(words["action"]).select_option(label=words["qualify"])
    bulk.get_by_label(words["everything"]).check()
    bulk.get_by_role("button", name=words["apply"]).click()
    expect(page.get_by_role("main")).to_contain_text(words["qualified"])
    assert MeetingRequest.objects.filter(status=MeetingRequestStatus.QUALIFIED).count() == 50

    # Back home, then the applications of the mission in selection.
    page.goto(f"{live_server.url}/")
    page.locator(f'a[href="/delegations/missions/{toronto[1].pk}/applications/"]').click()
    assert audit(page) == [], describe(audit(page))
    bulk = page.locator("#bulk")
    bulk.get_by_label(words["decision"]).select_option(label=words["accept"])
    bulk.get_by_label(words["page_rows"]).check()
    expect(page.locator('input[name="selected"]:checked')).to_have_count(20)
    bulk.get_by_role("button", name=words["apply"]).click()
    expect(page.get_by_role("main")).to_contain_text(words["accepted"])
    assert audit(page) == [], describe(audit(page))
    assert Application.objects.filter(status=ApplicationStatus.ACCEPTED).count() == 20


EXPLAINED = {
    "en": {
        "requests": "Requests",
        "not_placed": "it is not on your agenda",
        "declined": "it is no longer on your agenda",
    },
    "fr": {
        "requests": "Demandes",
        "not_placed": "il n'est pas dans votre agenda",
        "declined": "il n'est plus dans votre agenda",
    },
}


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
@pytest.mark.parametrize("language", ["fr", "en"])
def test_a_company_reads_why_requests_are_not_on_its_agenda(
    page, live_server, company_member, language, viewport
):
    mission = MissionFactory(title="Toronto 2027", status=MissionStatus.CONFIRMED)
    application = ApplicationFactory(
        mission=mission,
        company=company_member.membership.company,
        status=ApplicationStatus.CONFIRMED,
        announced_status=ApplicationStatus.CONFIRMED,
    )
    MeetingRequestFactory(
        application=application,
        counterpart=CounterpartFactory(mission=mission, organisation="Lake Capital"),
        status=MeetingRequestStatus.QUALIFIED,
    )
    MeetingFactory(
        request=MeetingRequestFactory(
            application=application,
            counterpart=CounterpartFactory(mission=mission, organisation="Maple Ventures"),
            status=MeetingRequestStatus.SCHEDULED,
        ),
        status=MeetingStatus.DECLINED,
        response_note="We are travelling that week.",
    )
    words = EXPLAINED[language]
    page.set_viewport_size(viewport)
    use_language(page, live_server, language)
    log_in(page, live_server, company_member.email, PASSWORD)

    page.get_by_role("link", name=f"{words['requests']} — Toronto 2027").click()

    expect(page.locator('[data-explained="not-placed"]')).to_contain_text(words["not_placed"])
    declined = page.locator('[data-explained="declined"]')
    expect(declined).to_contain_text(words["declined"])
    expect(declined).to_contain_text("We are travelling that week.")
    assert audit(page) == [], describe(audit(page))


SEND = {"fr": r"^Envoyer les invitations \(\d+\)$", "en": r"^Send the invitations \(\d+\)$"}
SEND_NOW = {"fr": r"^Envoyer \d+ invitations$", "en": r"^Send \d+ invitations$"}


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
@pytest.mark.parametrize("language", ["fr", "en"])
def test_staff_open_every_page_of_a_mission_from_home_and_look_before_inviting(
    page, live_server, staff_user, language, viewport
):
    start = timezone.localdate() + datetime.timedelta(days=60)
    mission = MissionFactory(
        title="Toronto 2027", status=MissionStatus.CONFIRMED, start_date=start
    )
    grid_configure(
        mission=mission,
        by=staff_user,
        sessions=[{"date": start.isoformat(), "start": "09:00", "end": "11:00"}],
        slot_minutes=30,
        tables=2,
    )
    for number in range(2):
        MeetingRequestFactory(
            application__mission=mission,
            counterpart=CounterpartFactory(mission=mission, organisation=f"Maple {number}"),
            status=MeetingRequestStatus.QUALIFIED,
        )
    meetings_schedule(mission=mission, by=staff_user)
    page.set_viewport_size(viewport)
    use_language(page, live_server, language)
    log_in(page, live_server, staff_user.email, PASSWORD)

    # From the home page to the mission, then each of its pages by its tab.
    page.locator(f'main a[href="{mission.get_absolute_url()}"]').first.click()
    tabs = page.locator("#mission-workspace a")
    addresses = [tabs.nth(index).get_attribute("href") for index in range(tabs.count())]
    assert len(addresses) == 8
    for address in addresses:
        page.locator(f'#mission-workspace a[href="{address}"]').click()
        expect(page.locator('#mission-workspace a[aria-current="page"]')).to_have_attribute(
            "href", address
        )
        assert audit(page) == [], describe(audit(page))

    # On the grid: a look at the invitations, then sending them.
    page.locator(f'#mission-workspace a[href="/delegations/missions/{mission.pk}/grid/"]').click()
    page.get_by_role("link", name=re.compile(SEND[language])).click()
    assert audit(page) == [], describe(audit(page))
    assert not Meeting.objects.filter(invited_at__isnull=False).exists()
    page.get_by_role("button", name=re.compile(SEND_NOW[language])).click()
    expect(page.locator('#mission-workspace a[aria-current="page"]')).to_be_visible()
    assert Meeting.objects.filter(invited_at__isnull=False).count() == 2
