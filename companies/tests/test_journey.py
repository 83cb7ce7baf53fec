"""A person asks to join their registered company in the browser; its admin approves."""

import pytest
from playwright.sync_api import expect

from accounts.tests.factories import PASSWORD
from companies.models import MembershipStatus
from companies.tests.factories import CompanyFactory, CompanyMemberFactory
from notifications.models import OutboundEmail
from portal.tests.browser import log_in, use_language

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_join_request_approved_then_home_shows_the_company(page, live_server, handed_over):
    company = CompanyFactory(name="Transpare", siret="73282932000074", verified=True)
    admin = CompanyMemberFactory(
        email="ali@transpare.example", language="fr", membership__company=company
    )
    use_language(page, live_server, "en")

    # 1. Léa signs up with her company's SIRET, is offered to join, and asks.
    page.goto(f"{live_server.url}/companies/signup/")
    page.get_by_label("First name").fill("Léa")
    page.get_by_label("Last name").fill("Durand")
    page.get_by_label("Email address").fill("lea@transpare.example")
    page.get_by_label("Language for emails").select_option("en")
    page.locator("input[name=password1]").fill("Joliette-Docks-2027")
    page.locator("input[name=password2]").fill("Joliette-Docks-2027")
    page.get_by_label("SIRET").fill("732 829 320 00074")
    page.get_by_role("button", name="Create my account").click()
    expect(page.get_by_text("A company with this SIRET is already registered.")).to_be_visible()
    page.locator("input[name=password1]").fill("Joliette-Docks-2027")
    page.locator("input[name=password2]").fill("Joliette-Docks-2027")
    page.get_by_label("Ask to join this company").check()
    page.get_by_role("button", name="Create my account").click()
    expect(page.get_by_text("Your request to join the company is sent")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Your account is not linked to a company yet"
    )
    request = OutboundEmail.objects.get(template_key="membership_request")
    assert (request.recipient, request.language) == ("ali@transpare.example", "fr")

    # 2. The admin logs in, opens the company page and approves.
    page.get_by_role("button", name="Log out").click()
    log_in(page, live_server, admin.email, PASSWORD)
    page.goto(f"{live_server.url}{company.get_absolute_url()}")
    requests = page.get_by_role("region", name="Requests to join the company")
    expect(requests).to_contain_text("lea@transpare.example")
    requests.get_by_role("button", name="Approve").click()
    expect(page.get_by_text("Léa Durand now acts for the company.")).to_be_visible()
    approved = OutboundEmail.objects.get(template_key="membership_approved")
    assert (approved.recipient, approved.language) == ("lea@transpare.example", "en")

    # 3. Léa's home now shows her company.
    page.get_by_role("button", name="Log out").click()
    log_in(page, live_server, "lea@transpare.example", "Joliette-Docks-2027")
    expect(page.get_by_role("heading", level=1)).to_have_text("Transpare")
    assert company.memberships.get(user__email="lea@transpare.example").status == (
        MembershipStatus.ACTIVE
    )
