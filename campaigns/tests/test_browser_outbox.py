"""The outbox in Chromium: staff find a failed email, read it and send it again; a
campaign's page follows its progress by itself; the pages pass an axe-core audit.

No task reaches the broker from here: the hand-over to the workers is replaced by a
recorder (the live server runs in this process).
"""

import datetime
import re

import pytest
from playwright.sync_api import expect

from accounts.tests.factories import PASSWORD
from campaigns.models import Campaign, CampaignStatus
from missions.tests.factories import OpenMissionFactory, SectorFactory
from notifications import services
from notifications.kinds import KINDS
from notifications.models import EmailStatus, OutboundEmail
from portal.tests.browser import audit, describe, log_in, use_language

pytestmark = pytest.mark.browser

UTC = datetime.UTC
SENT_AT = datetime.datetime(2026, 11, 2, 8, 1, tzinfo=UTC)


@pytest.fixture
def handed_over(monkeypatch):
    """The ids given to the workers, instead of giving them."""
    calls = []
    monkeypatch.setattr(services, "email_hand_over", calls.append)
    return calls


def _email(number: int, mission=None, campaign=None, **fields) -> OutboundEmail:
    values = {
        "recipient": f"person{number}@company.example",
        "recipient_name": f"Person {number}",
        "language": "en" if number % 2 else "fr",
        "template_key": "call_for_applications",
        "context": {**KINDS["call_for_applications"].sample, "recipient_name": f"Person {number}"},
        "idempotency_key": f"browser:{number}",
        "topic": mission,
        "mailing": campaign,
    }
    values.update(fields)
    return OutboundEmail.objects.create(**values)


@pytest.fixture
def outbox():
    """An ordinary day of the outbox: sent emails, one queued, two failed."""
    digital = SectorFactory(code="digital", name_fr="Numérique", name_en="Digital")
    canada = OpenMissionFactory(title="Canada — Toronto et Montréal 2027", slug="canada-2027")
    canada.sectors.set([digital])
    japan = OpenMissionFactory(title="Japon — Tokyo, Kobe, Kyoto 2027", country="JP")
    campaign = Campaign.objects.create(
        kind="call_for_applications",
        audience="company_members",
        mission=canada,
        status=CampaignStatus.WRITTEN,
        context={"sectors": ["Numérique"]},
    )
    for number in range(1, 5):
        _email(number, canada, campaign, status=EmailStatus.SENT, attempts=1, sent_at=SENT_AT)
    _email(5, japan)
    failed = _email(
        6,
        canada,
        campaign,
        recipient="contact@transpare.example",
        recipient_name="Marie Dupont",
        language="en",
        status=EmailStatus.FAILED,
        attempts=6,
        last_error="550 5.1.1 <contact@transpare.example>: mailbox unknown",
    )
    _email(
        7,
        japan,
        status=EmailStatus.FAILED,
        attempts=1,
        last_error="554 5.7.1 message refused",
    )
    return {"canada": canada, "campaign": campaign, "failed": failed}


def test_outbox_staff_resends_failed_email(page, live_server, staff_user, outbox, handed_over):
    use_language(page, live_server, "en")
    log_in(page, live_server, staff_user.email, PASSWORD)

    page.get_by_role("link", name="Outbox").click()
    expect(page.locator("main h1")).to_have_text("Outbox")
    expect(page.locator("main table tbody tr")).to_have_count(7)

    # Filtering with the keyboard: choose the status, then Enter on the button.
    page.get_by_label("Status", exact=True).select_option("failed")
    page.get_by_role("button", name="Filter").focus()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/outbox/\?status=failed&"))
    rows = page.locator("main table tbody tr")
    expect(rows.locator("th")).to_have_text(
        ["person7@company.example Person 7", "contact@transpare.example Marie Dupont"],
        use_inner_text=True,
    )

    page.get_by_role("link", name="contact@transpare.example").click()
    expect(page.locator("#email-subject")).to_have_text(
        "Call for applications: Canada — Toronto et Montréal 2027"
    )
    expect(page.locator("main")).to_contain_text("mailbox unknown")
    page.get_by_role("button", name="Resend this email").click()

    expect(page.locator(".alert-success")).to_have_text(
        "The email to contact@transpare.example is back in the queue: it will be sent shortly."
    )
    expect(page.get_by_role("button", name="Resend this email")).to_have_count(0)
    failed = OutboundEmail.objects.get(pk=outbox["failed"].pk)
    assert (failed.status, failed.attempts) == (EmailStatus.QUEUED, 0)
    assert handed_over == [[failed.pk]]


def test_campaign_page_follows_progress_by_itself(page, live_server, staff_user, outbox):
    campaign = outbox["campaign"]
    waiting = _email(8, outbox["canada"], campaign)
    log_in(page, live_server, staff_user.email, PASSWORD)
    page.goto(f"/outbox/campaigns/{campaign.pk}/")
    sent = page.locator('#campaign-progress [data-field="sent"]')
    expect(sent).to_have_text("4")
    expect(page.locator('#campaign-progress [data-summary="finished"]')).to_be_hidden()

    OutboundEmail.objects.filter(pk=waiting.pk).update(status=EmailStatus.SENT, sent_at=SENT_AT)

    # No reload: the page reads progress.json every 2 seconds.
    expect(sent).to_have_text("5", timeout=6000)
    expect(page.locator('#campaign-progress [data-field="queued"]')).to_have_text("0")
    expect(page.locator("#campaign-progress-bar")).to_have_attribute("value", "100")
    expect(page.locator('#campaign-progress [data-summary="finished"]')).to_be_visible()
    expect(page.locator("#campaign-progress")).to_have_attribute("data-finished", "")


def test_outbox_pages_are_accessible(page, live_server, staff_user, outbox):
    log_in(page, live_server, staff_user.email, PASSWORD)
    pages = {
        "outbox": "/outbox/",
        "filtered outbox": "/outbox/?status=failed&mission=999999",
        "preview": f"/outbox/{outbox['failed'].pk}/",
        "campaign": f"/outbox/campaigns/{outbox['campaign'].pk}/",
        "new campaign": "/outbox/campaigns/new/?mission=canada-2027",
    }
    found = {}
    for name, url in pages.items():
        page.goto(url)
        expect(page.locator("main h1")).to_have_count(1)
        violations = audit(page)
        if violations:
            found[name] = describe(violations)

    assert not found, "\n".join(f"{name}:\n{text}" for name, text in found.items())
