"""Suggested counterparts in the browser: the company reads why a counterpart fits it and
requests the meeting in one click; staff see the same suggestion beside the request they
qualify."""

import pytest
from playwright.sync_api import expect

from accounts.tests.factories import PASSWORD
from companies.tests.factories import CompanyMemberFactory
from delegations.enums import ApplicationStatus
from delegations.tests.factories import ApplicationFactory
from meetings.enums import CounterpartKind, MeetingRequestStatus
from meetings.models import MeetingRequest
from meetings.tests.factories import CounterpartFactory
from missions.tests.factories import OpenMissionFactory, SectorFactory
from portal.tests.browser import audit, describe, log_in, use_language

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def setting():
    mission = OpenMissionFactory(title="Canada 2027", cities="Toronto, Montréal")
    health = SectorFactory(code="health", name_fr="Santé", name_en="Health")
    member = CompanyMemberFactory(
        email="ali@transpare.example", language="en", membership__company__name="Transpare"
    )
    company = member.membership.company
    company.sectors.set([health])
    application = ApplicationFactory(
        mission=mission,
        company=company,
        status=ApplicationStatus.CONFIRMED,
        counterparts_sought="Distributors of medical devices",
        products="Patient monitoring patches",
    )
    distributor = CounterpartFactory(
        mission=mission,
        organisation="Northern Medical Supply",
        kind=CounterpartKind.DISTRIBUTOR,
        description="Distributes medical devices across Ontario",
    )
    distributor.sectors.set([health])
    CounterpartFactory(
        mission=mission, organisation="Harbourfront Logistics", description="Port transit"
    )
    return mission, member, application, distributor


def test_company_requests_a_suggested_counterpart_and_staff_see_why(
    page, live_server, staff_user, setting
):
    mission, member, application, distributor = setting
    use_language(page, live_server, "en")

    # 1. The company reads the suggestion and its reason, and requests it in one click.
    log_in(page, live_server, member.email, PASSWORD)
    page.goto(f"{live_server.url}{application.get_absolute_url()}")
    page.get_by_role("link", name="Request meetings").click()
    suggestion = page.locator(f'[data-suggested="{distributor.pk}"]')
    expect(suggestion).to_contain_text("Same sector: Health")
    expect(suggestion).to_contain_text("looking for a distributor")
    expect(page.locator("#suggestion-list")).not_to_contain_text("Harbourfront Logistics")
    assert audit(page) == [], describe(audit(page))
    page.get_by_role("button", name="Request this meeting with Northern Medical Supply").click()
    expect(page.get_by_role("region", name="Your requests")).to_contain_text(
        "Northern Medical Supply"
    )
    request = MeetingRequest.objects.get(application=application, counterpart=distributor)
    assert request.status == MeetingRequestStatus.REQUESTED
    assert "Same sector: Health" in request.rationale
    # Requested: no longer suggested.
    expect(page.locator(f'[data-suggested="{distributor.pk}"]')).to_have_count(0)
    page.get_by_role("button", name="Log out").click()

    # 2. Staff qualify it, reading the company's rationale.
    log_in(page, live_server, staff_user.email, PASSWORD)
    page.goto(f"{live_server.url}/delegations/missions/{mission.pk}/requests/")
    page.get_by_role("link", name="Qualify Transpare ↔ Northern Medical Supply").click()
    expect(page.get_by_role("main")).to_contain_text("Same sector: Health")
    assert audit(page) == [], describe(audit(page))
    page.get_by_label("Purpose of the meeting").fill("Distribution in Ontario")
    page.get_by_role("button", name="Qualify").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Meeting requests of")
    request.refresh_from_db()
    assert request.status == MeetingRequestStatus.QUALIFIED
