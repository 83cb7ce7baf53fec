"""axe-core audits of the pages every role sees first, with realistic data on them.

The audit runs axe's WCAG 2.0/2.1/2.2 A and AA rules and its best practices (see
`portal.tests.browser.AXE_OPTIONS`); a serious or critical violation fails the test.
"""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.tests.factories import PASSWORD
from delegations.enums import ApplicationStatus
from delegations.tests.factories import ApplicationFactory
from missions.enums import MissionStatus
from missions.tests.factories import MissionFactory, OpenMissionFactory, SectorFactory
from portal.tests.browser import PHONE, audit, describe, log_in
from reports.enums import ReportStatus
from reports.tests.factories import MissionReportFactory

pytestmark = pytest.mark.browser


@pytest.fixture
def landscape(company_member, other_company_member):
    """What the home pages show on an ordinary day: missions in several states,
    applications of two companies, and a report waiting for an official."""
    digital = SectorFactory(code="digital", name_fr="Numérique", name_en="Digital")
    health = SectorFactory(code="health", name_fr="Santé", name_en="Health")
    canada = OpenMissionFactory(title="Canada — Toronto et Montréal 2027")
    canada.sectors.set([digital, health])
    japan = OpenMissionFactory(
        title="Japon — Tokyo, Kobe, Kyoto 2027", country="JP", cities="Tokyo, Kobe, Kyoto"
    )
    japan.sectors.set([digital])
    OpenMissionFactory(
        title="Tel-Aviv — DLD 2027",
        country="IL",
        cities="Tel-Aviv",
        timezone="Asia/Jerusalem",
        start_date=None,
        end_date=None,
    )
    MissionFactory(title="Austin — SXSW 2028", status=MissionStatus.DRAFT, country="US")
    MissionFactory(
        title="Montréal — C2 2026",
        status=MissionStatus.CONFIRMED,
        start_date=timezone.localdate() + datetime.timedelta(days=20),
    )
    own = company_member.membership.company
    other = other_company_member.membership.company
    ApplicationFactory(mission=japan, company=own, status=ApplicationStatus.SUBMITTED)
    ApplicationFactory(
        mission__title="Montréal — Mois de l'IA 2026",
        mission__status=MissionStatus.SELECTION,
        company=own,
        status=ApplicationStatus.ACCEPTED,
    )
    ApplicationFactory(mission=canada, company=other, status=ApplicationStatus.SUBMITTED)
    MissionReportFactory(
        mission__title="Japon 2025 — Osaka Expo",
        status=ReportStatus.SUBMITTED,
        submitted_at=timezone.now() - datetime.timedelta(days=2),
    )


def assert_accessible(page):
    violations = audit(page)
    assert not violations, describe(violations)


def test_home_anonymous_is_accessible(page, live_server, landscape):
    page.goto("/")

    # Audited in the language of the portal's users (the browser asks for French).
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.locator("main .card-mission")).to_have_count(3)
    assert_accessible(page)


def test_open_missions_page_is_accessible(page, live_server, landscape):
    page.goto("/missions/")

    expect(page.locator("main .card-mission")).to_have_count(3)
    assert_accessible(page)


def test_home_staff_is_accessible(page, live_server, landscape, staff_user):
    log_in(page, live_server, staff_user.email, PASSWORD)

    expect(page.locator("main table tbody tr")).to_have_count(7)
    assert_accessible(page)


def test_home_company_is_accessible(page, live_server, landscape, company_member):
    log_in(page, live_server, company_member.email, PASSWORD)

    expect(page.locator("main table tbody tr")).to_have_count(2)
    assert_accessible(page)


def test_home_official_is_accessible(page, live_server, landscape, official_user):
    log_in(page, live_server, official_user.email, PASSWORD)

    expect(page.locator("main h2")).to_have_text(["Japon 2025 — Osaka Expo"])
    assert_accessible(page)


def test_home_company_at_phone_width_is_accessible(page, live_server, landscape, company_member):
    page.set_viewport_size(PHONE)
    log_in(page, live_server, company_member.email, PASSWORD)

    expect(page.locator("main h1")).to_have_text("Transpare")
    assert_accessible(page)
    # Reflow: nothing makes the page scroll sideways (wide tables scroll in their own box).
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    # The collapsed menu opens, and is as accessible open as closed.
    toggler = page.locator("header .navbar-toggler")
    expect(toggler).to_be_visible()
    toggler.click()
    expect(toggler).to_have_attribute("aria-expanded", "true")
    expect(page.locator("#main-menu")).to_be_visible()
    assert_accessible(page)


@pytest.mark.parametrize("role", ["anonymous", "staff", "company", "official"])
def test_home_reflows_without_sideways_scroll(
    page, live_server, landscape, role, staff_user, company_member, official_user
):
    """WCAG 1.4.10: at 320px (a phone, or 1280px zoomed to 400%) and at 1024px (the width at
    which the French menu once pushed "Log out" off screen) nothing lies beyond the right
    edge; wide tables scroll inside their own box."""
    person = {"staff": staff_user, "company": company_member, "official": official_user}
    if role in person:
        staff_user.last_name = "Dupont-Aignan de La Rochefoucauld"  # a long name in the menu
        staff_user.save()
        log_in(page, live_server, person[role].email, PASSWORD)
    else:
        page.goto("/")

    for width in (320, 1024):
        page.set_viewport_size({"width": width, "height": 800})
        beyond = page.evaluate(
            """() => [...document.querySelectorAll("body *")]
                .filter(el => !el.closest(".table-responsive"))
                .filter(el => el.getBoundingClientRect().right > window.innerWidth + 1)
                .map(el => el.outerHTML.slice(0, 80))"""
        )
        assert beyond == [], f"at {width}px: {beyond}"
        assert page.evaluate("document.documentElement.scrollWidth") == width


def test_login_page_is_accessible(page, live_server):
    page.goto("/accounts/login/")

    assert_accessible(page)


def test_login_page_with_error_is_accessible(page, live_server, staff_user):
    log_in(page, live_server, staff_user.email, "not-the-password")

    expect(page.locator("main form [role=alert]")).to_be_visible()
    assert_accessible(page)


def test_signup_page_is_accessible(page, live_server, landscape):
    page.goto("/companies/signup/")

    expect(page.locator("main input[type=checkbox][name=sectors]")).to_have_count(2)
    assert_accessible(page)


def test_signup_page_with_errors_is_accessible(page, live_server, landscape):
    page.goto("/companies/signup/")
    with page.expect_navigation():
        page.locator("main form [type=submit]").click()

    expect(page.locator("main .invalid-feedback").first).to_be_visible()
    assert_accessible(page)


def test_home_first_tab_reaches_a_visible_skip_link_to_content(page, live_server, landscape):
    page.goto("/")

    page.keyboard.press("Tab")

    skip = page.locator(":focus")
    expect(skip).to_have_attribute("href", "#main")
    expect(skip).to_be_visible()
    expect(skip).to_be_in_viewport()
    box = skip.bounding_box()
    assert box["width"] > 40 and box["height"] > 20
    outline = skip.evaluate("el => getComputedStyle(el).outlineStyle")
    assert outline == "solid"

    page.keyboard.press("Enter")

    expect(page).to_have_url(f"{live_server.url}/#main")
    expect(page.locator("main")).to_be_focused()
    assert page.locator("main").evaluate("el => getComputedStyle(el).outlineStyle") == "none"
    # The next Tab goes to the first link of the content, past the menu.
    page.keyboard.press("Tab")
    first_in_main = page.locator("main a, main button").first
    expect(first_in_main).to_be_focused()


def test_keyboard_focus_is_visible_on_links_and_buttons(page, live_server, landscape):
    page.goto("/")
    styles = []
    for _ in range(8):
        page.keyboard.press("Tab")
        styles.append(
            page.evaluate(
                """() => {
                    const el = document.activeElement;
                    const style = getComputedStyle(el);
                    return [el.tagName, style.outlineStyle, parseFloat(style.outlineWidth)];
                }"""
            )
        )

    assert all(style == "solid" and width >= 2 for _, style, width in styles), styles
