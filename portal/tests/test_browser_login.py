"""Logging in through the real form, in Chromium: each role lands on its own home page."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.tests.factories import PASSWORD
from delegations.enums import ApplicationStatus
from delegations.tests.factories import ApplicationFactory
from missions.enums import MissionStatus
from missions.tests.factories import MissionFactory, OpenMissionFactory
from portal.tests.browser import log_in, use_language
from reports.enums import ReportStatus
from reports.tests.factories import MissionReportFactory

pytestmark = pytest.mark.browser


def test_login_staff_lands_on_missions_to_act_on(page, live_server, staff_user):
    MissionFactory(title="Canada — Toronto et Montréal 2027", status=MissionStatus.SELECTION)

    response = log_in(page, live_server, staff_user.email, PASSWORD)

    assert response.status == 200
    expect(page).to_have_url(f"{live_server.url}/")
    expect(page.locator("main h1")).to_have_count(1)
    row = page.locator("main table tbody tr").filter(has_text="Canada — Toronto et Montréal 2027")
    expect(row).to_have_count(1)
    expect(row.get_by_role("link", name="Canada — Toronto et Montréal 2027")).to_be_visible()
    expect(page.locator("header form[action$='/accounts/logout/']")).to_have_count(1)


def test_login_official_lands_on_reports_to_review(page, live_server, official_user):
    MissionReportFactory(
        mission__title="Japon — Tokyo, Kobe, Kyoto 2026",
        status=ReportStatus.SUBMITTED,
        submitted_at=timezone.now(),
    )
    MissionReportFactory(mission__title="Maroc 2026 draft report", status=ReportStatus.DRAFT)

    response = log_in(page, live_server, official_user.email, PASSWORD)

    assert response.status == 200
    expect(page).to_have_url(f"{live_server.url}/")
    expect(page.locator("main h2")).to_have_text(["Japon — Tokyo, Kobe, Kyoto 2026"])
    expect(page.locator("main")).not_to_contain_text("Maroc 2026 draft report")


def test_login_company_member_lands_on_company_home(page, live_server, company_member):
    ApplicationFactory(
        mission__title="Austin — SXSW 2027",
        company=company_member.membership.company,
        status=ApplicationStatus.SUBMITTED,
    )
    OpenMissionFactory(title="Tel-Aviv — DLD 2027")

    response = log_in(page, live_server, company_member.email, PASSWORD)

    assert response.status == 200
    expect(page).to_have_url(f"{live_server.url}/")
    expect(page.locator("main h1")).to_have_text("Transpare")
    expect(page.locator("main table tbody th")).to_have_text(["Austin — SXSW 2027"])
    expect(page.locator("main .card-mission .card-title")).to_have_text(["Tel-Aviv — DLD 2027"])


def test_login_wrong_password_shows_error_and_keeps_email(page, live_server, staff_user):
    use_language(page, live_server, "en")

    response = log_in(page, live_server, staff_user.email, "not-the-password")

    assert response.status == 200
    expect(page).to_have_url(f"{live_server.url}/accounts/login/")
    error = page.locator("main form [role=alert]")
    expect(error).to_have_count(1)
    expect(error).to_be_visible()
    expect(error).to_contain_text("This email address and password do not match an account.")
    expect(page.locator("main form input[name=username]")).to_have_value(staff_user.email)
    expect(page.locator("main form input[name=password]")).to_have_value("")
    # Still anonymous: the header offers to log in, not to log out.
    expect(page.locator("header form[action$='/accounts/logout/']")).to_have_count(0)
    expect(page.locator("header a[href$='/accounts/login/']")).to_have_count(1)
