"""A company member applies to an open mission in the browser, in French."""

import pytest
from playwright.sync_api import expect

from accounts.tests.factories import PASSWORD
from companies.tests.factories import CompanyMemberFactory, ContactFactory
from delegations.enums import ApplicationStatus
from delegations.models import Application
from missions.tests.factories import OpenMissionFactory
from notifications.models import OutboundEmail
from portal.tests.browser import log_in, use_language

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_apply_save_draft_submit_then_home_shows_submitted(page, live_server, handed_over):
    member = CompanyMemberFactory(
        email="ali@transpare.example", language="fr", membership__company__name="Transpare"
    )
    ContactFactory(
        company=member.membership.company,
        first_name="Ali",
        last_name="Messoudi",
        email="ali.messoudi@transpare.example",
    )
    mission = OpenMissionFactory(title="Canada — Toronto et Montréal 2027")
    use_language(page, live_server, "fr")
    log_in(page, live_server, member.email, PASSWORD)

    # 1. The mission's page offers to apply: a draft is created, its form opens.
    page.goto(f"{live_server.url}{mission.get_absolute_url()}")
    page.get_by_role("button", name="Candidater", exact=True).click()
    expect(page.get_by_text("Votre brouillon de candidature est créé.")).to_be_visible()

    # 2. Part of the answers, saved as a draft.
    page.locator("textarea[name=objectives]").fill("Trouver un distributeur en Ontario.")
    page.get_by_label("Ali Messoudi").check()
    page.get_by_role("button", name="Enregistrer le brouillon").click()
    expect(page.get_by_text("Votre candidature est enregistrée.")).to_be_visible()
    application = Application.objects.get()
    assert application.status == ApplicationStatus.DRAFT
    assert application.objectives == "Trouver un distributeur en Ontario."

    # 3. Completed and submitted.
    page.get_by_role("link", name="Compléter et déposer").click()
    page.locator("textarea[name=products]").fill("Films solaires transparents.")
    page.get_by_role("button", name="Déposer la candidature").click()
    expect(page.get_by_text("Votre candidature est déposée.")).to_be_visible()
    receipt = OutboundEmail.objects.get(template_key="application_receipt")
    assert (receipt.recipient, receipt.language) == ("ali@transpare.example", "fr")

    # 4. The home lists it as submitted, in French.
    page.goto(f"{live_server.url}/")
    row = page.get_by_role("row", name="Canada — Toronto et Montréal 2027")
    expect(row).to_contain_text("Déposée")
