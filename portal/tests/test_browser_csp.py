"""The pages that run the portal's scripts, or show an email's own HTML, work in Chromium
under the Content-Security-Policy, and Chromium refuses nothing on them.

The `page` fixture (portal/tests/browser.py) fails any journey whose page reports a
policy violation; each test here also checks that the behaviour itself happened.
"""

import datetime

import pytest
from playwright.sync_api import expect

from accounts.tests.factories import PASSWORD
from campaigns.models import Campaign, CampaignStatus
from companies.tests.factories import CompanyMemberFactory
from delegations.enums import ApplicationStatus
from delegations.tests.factories import ApplicationFactory
from missions.enums import MissionStatus
from missions.tests.factories import MissionFactory, OpenMissionFactory, SectorFactory
from notifications.kinds import KINDS
from notifications.models import EmailStatus, OutboundEmail
from portal.tests.browser import log_in, use_language

pytestmark = pytest.mark.browser

SENT_AT = datetime.datetime(2026, 11, 2, 8, 1, tzinfo=datetime.UTC)
# The blue of the emails' header and buttons (templates/emails/base.html).
EMAIL_BLUE = "rgb(0, 70, 140)"


def _email(number: int, **fields) -> OutboundEmail:
    values = {
        "recipient": f"person{number}@company.example",
        "recipient_name": f"Person {number}",
        "language": "en",
        "template_key": "call_for_applications",
        "context": {**KINDS["call_for_applications"].sample, "recipient_name": f"Person {number}"},
        "idempotency_key": f"csp:{number}",
    }
    values.update(fields)
    return OutboundEmail.objects.create(**values)


def test_csp_campaign_progress_page_refreshes_itself(page, live_server, staff_user):
    mission = OpenMissionFactory()
    campaign = Campaign.objects.create(
        kind="call_for_applications",
        audience="company_members",
        mission=mission,
        status=CampaignStatus.WRITTEN,
        recipients=2,
    )
    _email(1, topic=mission, mailing=campaign, status=EmailStatus.SENT, sent_at=SENT_AT)
    waiting = _email(2, topic=mission, mailing=campaign)
    log_in(page, live_server, staff_user.email, PASSWORD)
    page.goto(f"/outbox/campaigns/{campaign.pk}/")
    sent = page.locator('#campaign-progress [data-field="sent"]')
    expect(sent).to_have_text("1")

    OutboundEmail.objects.filter(pk=waiting.pk).update(status=EmailStatus.SENT, sent_at=SENT_AT)

    expect(sent).to_have_text("2", timeout=6000)
    expect(page.locator("#campaign-progress")).to_have_attribute("data-finished", "")


def test_csp_mission_form_proposes_the_country_zone(page, live_server, staff_user):
    use_language(page, live_server, "en")
    log_in(page, live_server, staff_user.email, PASSWORD)
    page.goto("/missions/new/")

    page.get_by_label("Destination country").select_option("JP")

    expect(page.get_by_label("Destination time zone")).to_have_value("Asia/Tokyo")


def test_csp_roster_print_button_opens_the_print_dialog(page, live_server, staff_user):
    mission = MissionFactory(status=MissionStatus.CONFIRMED)
    ApplicationFactory(mission=mission, status=ApplicationStatus.CONFIRMED)
    # The print dialog itself is the browser's: count the calls instead.
    page.add_init_script("window.printed = 0; window.print = () => { window.printed += 1; };")
    use_language(page, live_server, "en")
    log_in(page, live_server, staff_user.email, PASSWORD)
    page.goto(f"/delegations/missions/{mission.pk}/roster/")

    page.get_by_role("button", name="Print").click()

    assert page.evaluate("window.printed") == 1


def test_csp_email_preview_shows_the_email_with_its_styles(page, live_server, staff_user):
    email = _email(3, status=EmailStatus.FAILED, last_error="550 mailbox unknown")
    use_language(page, live_server, "en")
    log_in(page, live_server, staff_user.email, PASSWORD)
    page.goto(f"/outbox/{email.pk}/")

    preview = page.frame_locator('iframe[title="HTML version of the email"]')
    button = preview.get_by_role("link", name="See the mission and apply")
    expect(button).to_be_visible()
    expect(button).to_have_css("background-color", EMAIL_BLUE)
    expect(button).to_have_css("color", "rgb(255, 255, 255)")


def test_csp_call_sample_shows_the_email_with_its_styles(page, live_server, staff_user):
    digital = SectorFactory(code="digital", name_fr="Numérique", name_en="Digital")
    mission = OpenMissionFactory(slug="canada-2027")
    mission.sectors.set([digital])
    member = CompanyMemberFactory(language="en", membership__company__name="Transpare")
    member.membership.company.sectors.add(digital)
    use_language(page, live_server, "en")
    log_in(page, live_server, staff_user.email, PASSWORD)
    page.goto("/outbox/campaigns/new/?mission=canada-2027")

    preview = page.frame_locator('iframe[title="HTML version of the email"]')
    button = preview.get_by_role("link", name="See the mission and apply")
    expect(button).to_be_visible()
    expect(button).to_have_css("background-color", EMAIL_BLUE)
