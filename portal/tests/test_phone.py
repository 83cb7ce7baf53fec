"""Pages read on a phone (375 px): the tables a person reads there become cards, every
cell inside the screen with its column's name, nothing cut; axe-core clean."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.tests.factories import PASSWORD
from delegations.enums import ApplicationStatus
from delegations.tests.factories import ApplicationFactory
from meetings.enums import MeetingRequestStatus, MeetingStatus
from meetings.tests.factories import (
    CounterpartFactory,
    MeetingFactory,
    MeetingRequestFactory,
    MeetingSlotFactory,
)
from missions.enums import MissionStatus
from missions.tests.factories import MissionFactory, OpenMissionFactory
from portal.tests.browser import PHONE, audit, describe, log_in, use_language

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

OUTSIDE = """(selector) => [...document.querySelectorAll(selector)]
    .filter(el => el.getBoundingClientRect().right > window.innerWidth + 1
               || el.getBoundingClientRect().left < -1)
    .map(el => el.outerHTML.slice(0, 80))"""
LABEL = """(el) => getComputedStyle(el, "::before").content"""


def _read_as_cards(page, selector):
    cells = page.locator(f"{selector} td[data-label]")
    assert cells.count() > 0
    assert page.evaluate(OUTSIDE, f"{selector} td, {selector} th") == []
    for index in range(cells.count()):
        cell = cells.nth(index)
        assert cell.evaluate(LABEL) == f'"{cell.get_attribute("data-label")}"'
    assert audit(page) == [], describe(audit(page))


@pytest.mark.parametrize("language", ["fr", "en"])
def test_staff_read_their_missions_on_a_phone(page, live_server, staff_user, language):
    OpenMissionFactory(title="Canada — Toronto et Montréal 2027")
    page.set_viewport_size(PHONE)
    use_language(page, live_server, language)
    log_in(page, live_server, staff_user.email, PASSWORD)

    _read_as_cards(page, "table.table-cards")
    seats = "Places attribuées" if language == "fr" else "Seats taken"
    expect(page.locator(f'td[data-label="{seats}"]').first).to_be_in_viewport()


@pytest.mark.parametrize("language", ["fr", "en"])
def test_a_company_reads_its_requests_and_agenda_on_a_phone(
    page, live_server, company_member, language
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
        status=MeetingRequestStatus.DECLINED,
        decline_reason="Lake Capital invests only in health care this year.",
    )
    start = timezone.now() + datetime.timedelta(days=30)
    MeetingFactory(
        request=MeetingRequestFactory(
            application=application,
            counterpart=CounterpartFactory(mission=mission, organisation="Maple Ventures"),
            status=MeetingRequestStatus.SCHEDULED,
        ),
        slot=MeetingSlotFactory(
            grid__mission=mission, starts_at=start, ends_at=start + datetime.timedelta(minutes=30)
        ),
        status=MeetingStatus.SCHEDULED,
        invited_at=timezone.now(),
    )
    page.set_viewport_size(PHONE)
    use_language(page, live_server, language)
    log_in(page, live_server, company_member.email, PASSWORD)

    page.get_by_role("link", name="Toronto 2027").first.click()
    page.get_by_role(
        "link", name="Demander des rendez-vous" if language == "fr" else "Request meetings"
    ).click()
    _read_as_cards(page, "#own-requests")
    reason = page.get_by_text("Lake Capital invests only in health care")
    reason.scroll_into_view_if_needed()
    expect(reason).to_be_in_viewport()

    page.go_back()
    page.get_by_role("link", name="Mon agenda" if language == "fr" else "My agenda").click()
    _read_as_cards(page, "table.agenda-day")
