"""The whole selection in the browser, in French: a company registers and applies; staff
verify it, accept it and announce the decision; the company confirms its seat and finds
itself in the delegation."""

import pytest
from playwright.sync_api import expect

from accounts.tests.factories import PASSWORD as STAFF_PASSWORD
from delegations.enums import ApplicationStatus
from delegations.models import Application
from missions.tests.factories import OpenMissionFactory, SectorFactory
from notifications.models import OutboundEmail
from portal.tests.browser import audit, describe, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Joliette-Docks-2027"


def _log_out(page):
    page.get_by_role("button", name="Se déconnecter").click()


def test_company_registers_applies_is_accepted_confirms_and_joins_the_delegation(
    page, live_server, staff_user, handed_over
):
    sector = SectorFactory(code="maritime", name_fr="Maritime et logistique")
    mission = OpenMissionFactory(title="Canada — Toronto et Montréal 2027", capacity=10)
    mission.sectors.add(sector)

    # 1. Ali registers himself and his company.
    page.goto(f"{live_server.url}/companies/signup/")
    page.get_by_label("Prénom").fill("Ali")
    page.locator("input[name=last_name]").fill("Messoudi")
    page.get_by_label("Adresse e-mail").fill("ali@transpare.example")
    page.locator("input[name=password1]").fill(PASSWORD)
    page.locator("input[name=password2]").fill(PASSWORD)
    page.get_by_label("Nom de l'entreprise").fill("Transpare")
    page.get_by_label("SIRET").fill("732 829 320 00074")
    page.get_by_label("Ville").fill("Marseille")
    page.get_by_label("Effectif").select_option("small")
    page.get_by_label("Maritime et logistique").check()
    page.get_by_role("button", name="Créer mon compte").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Transpare")

    # 2. He names the delegate who will travel.
    page.get_by_role("link", name="Mon entreprise").click()
    page.get_by_role("link", name="Contacts et délégués").click()
    page.get_by_role("link", name="Ajouter un contact").click()
    page.get_by_label("Prénom").fill("Léa")
    page.locator("input[name=last_name]").fill("Durand")
    page.get_by_label("Fonction").fill("Directrice export")
    page.get_by_label("Adresse e-mail").fill("lea@transpare.example")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_text("Léa Durand").first).to_be_visible()

    # 3. He applies to the mission and submits.
    page.goto(f"{live_server.url}{mission.get_absolute_url()}")
    page.get_by_role("button", name="Candidater", exact=True).click()
    expect(page.get_by_text("Votre brouillon de candidature est créé.")).to_be_visible()
    page.locator("textarea[name=objectives]").fill("Trouver un distributeur en Ontario.")
    page.locator("textarea[name=products]").fill("Films solaires transparents.")
    page.get_by_label("Léa Durand").check()
    page.get_by_role("button", name="Déposer la candidature").click()
    expect(page.get_by_text("Votre candidature est déposée.")).to_be_visible()
    application = Application.objects.get()
    assert application.status == ApplicationStatus.SUBMITTED
    _log_out(page)

    # 4. Staff verify the company, accept it, and announce the decision.
    log_in(page, live_server, staff_user.email, STAFF_PASSWORD)
    page.goto(f"{live_server.url}{application.company.get_absolute_url()}")
    page.get_by_role("button", name="Vérifier cette entreprise").click()
    page.goto(f"{live_server.url}{mission.get_absolute_url()}")
    page.get_by_role("link", name="Examiner les candidatures").click()
    assert audit(page) == [], describe(audit(page))
    page.get_by_role("link", name="Transpare").click()
    assert audit(page) == [], describe(audit(page))
    page.get_by_role("button", name="Accepter").click()
    expect(page.locator("#not-announced")).to_contain_text("Enregistrée, pas encore annoncée.")
    assert not OutboundEmail.objects.filter(template_key="application_accepted").exists()
    page.locator("#not-announced").get_by_role("link").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Annoncer les décisions")
    assert audit(page) == [], describe(audit(page))
    page.get_by_role("button", name="Annoncer 1 décision").click()
    expect(page.get_by_text("Décisions annoncées — acceptées : 1")).to_be_visible()
    accepted = OutboundEmail.objects.get(template_key="application_accepted")
    assert (accepted.recipient, accepted.language) == ("ali@transpare.example", "fr")
    _log_out(page)

    # 5. Ali confirms the seat from his home and finds Transpare in the delegation.
    log_in(page, live_server, "ali@transpare.example", PASSWORD)
    page.get_by_role("link", name="Confirmez votre place").first.click()
    assert audit(page) == [], describe(audit(page))
    page.get_by_role("button", name="Confirmer notre place").click()
    expect(
        page.get_by_text("Votre place est confirmée : bienvenue dans la délégation.")
    ).to_be_visible()
    page.get_by_role("link", name="Voir la délégation").click()
    section = page.get_by_role("region", name="Maritime et logistique")
    expect(section).to_contain_text("Transpare")
    expect(section).to_contain_text("Léa Durand")
    expect(section).not_to_contain_text("lea@transpare.example")
    assert audit(page) == [], describe(audit(page))
    expect(page.get_by_role("link", name="Liste à imprimer")).to_have_count(0)
    application.refresh_from_db()
    assert (application.status, application.announced_status) == ("confirmed", "confirmed")


def test_staff_roster_and_review_pages_pass_the_audit_on_a_phone(page, live_server, staff_user):
    from companies.tests.factories import CompanyFactory, ContactFactory
    from delegations.tests.factories import ApplicationFactory
    from portal.tests.browser import PHONE

    mission = OpenMissionFactory(title="Japon — Tokyo, Kobe, Kyoto 2027")
    company = CompanyFactory(name="Protecto")
    confirmed = ApplicationFactory(
        mission=mission, company=company, status=ApplicationStatus.CONFIRMED
    )
    confirmed.delegates.add(ContactFactory(company=company, first_name="Jo", last_name="Lin"))
    ApplicationFactory(mission=mission, status=ApplicationStatus.SUBMITTED)
    page.set_viewport_size(PHONE)
    log_in(page, live_server, staff_user.email, STAFF_PASSWORD)

    for url in (
        f"/delegations/missions/{mission.pk}/applications/",
        f"/delegations/review/{confirmed.pk}/",
        f"/delegations/missions/{mission.pk}/delegation/",
        f"/delegations/missions/{mission.pk}/roster/",
    ):
        page.goto(f"{live_server.url}{url}")
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        violations = audit(page)
        assert violations == [], f"{url}\n{describe(violations)}"
    expect(page.get_by_role("table").first).to_contain_text("Lin Jo")
