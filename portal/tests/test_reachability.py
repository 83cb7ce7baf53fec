"""Every page a role needs is reached by links from its home page, and no link leads its
reader to an error.

The crawl (``crawling.py``) runs on the demo data (``manage.py seed_demo``: the 2019
missions with their meetings and report, the upcoming ones with their applications),
plus a call for applications sent the way staff send one, so that the outbox has
emails to open. Every named URL of the project is either a page of some role below or
in ``NOT_LINKED`` with the reason no link of the portal leads to it: a new page that is
in neither fails ``test_every_url_is_a_page_of_a_role_or_says_why_not``.
"""

import html
import io
import json
import os
import re
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from accounts.models import User
from campaigns.models import Campaign
from campaigns.services import campaign_write
from missions.enums import MissionStatus
from missions.models import Mission
from portal.tests.crawling import crawl

pytestmark = pytest.mark.django_db

STAFF_PAGES = {
    "home",
    "password_change",
    # Missions
    "missions:list",
    "missions:open",
    "missions:create",
    "missions:calendar",
    "missions:calendar_year",
    "missions:feed",
    "missions:detail",
    "missions:edit",
    "missions:programme_add",
    "missions:programme_edit",
    "missions:programme_delete",
    # Companies
    "companies:list",
    "companies:export",
    "companies:import",
    "companies:detail",
    "companies:edit",
    "companies:history",
    "companies:contacts",
    "companies:contact_add",
    "companies:contact_edit",
    "companies:contact_delete",
    # A mission's workspace
    "delegations:review",
    "delegations:review_application",
    "delegations:delegation",
    "delegations:roster",
    "meetings:counterparts",
    "meetings:counterpart_add",
    "meetings:counterpart_edit",
    "meetings:counterpart_history",
    "meetings:counterparts_import",
    "meetings:counterpart_agenda",
    "meetings:counterpart_agenda_pdf",
    "meetings:counterpart_agenda_ics",
    "meetings:requests",
    "meetings:request_add",
    "meetings:request_qualify",
    "meetings:request_decline",
    "meetings:grid",
    "meetings:grid_configure",
    "meetings:grid_unavailability",
    "meetings:meeting_move",
    "meetings:meeting_outcome",
    "meetings:agenda",
    "meetings:agenda_pdf",
    "meetings:agenda_ics",
    "campaigns:outbox",
    "campaigns:email",
    "campaigns:campaign_new",
    "campaigns:campaign",
    # Reports
    "reports:reports",
    "reports:year_overview",
    "reports:report",
    "reports:report_edit",
    "reports:report_pdf",
    "reports:report_meetings_csv",
    "reports:report_companies_csv",
}

OFFICIAL_PAGES = {
    "home",
    "password_change",
    "missions:list",
    "missions:open",
    "missions:calendar",
    "missions:calendar_year",
    "missions:feed",
    "missions:detail",
    "companies:list",
    "companies:detail",
    "companies:history",
    "delegations:delegation",
    "delegations:roster",
    "meetings:counterparts",
    "meetings:counterpart_history",
    "meetings:counterpart_agenda",
    "meetings:counterpart_agenda_pdf",
    "meetings:counterpart_agenda_ics",
    "meetings:requests",
    "meetings:grid",
    "meetings:agenda",
    "meetings:agenda_pdf",
    "meetings:agenda_ics",
    "reports:reports",
    "reports:year_overview",
    "reports:report",
    "reports:report_pdf",
    "reports:report_meetings_csv",
    "reports:report_companies_csv",
}

# Transpare: applied to Toronto-Montréal 2019 (three meetings) and to Tel-Aviv 2027
# (submitted, the mission in selection).
COMPANY_PAGES = {
    "home",
    "password_change",
    "missions:open",
    "missions:detail",
    "companies:detail",
    "companies:edit",
    "companies:contacts",
    "companies:contact_add",
    "companies:contact_edit",
    "companies:contact_delete",
    "delegations:application_detail",
    "delegations:application_withdraw",
    "delegations:delegation",
    "meetings:company_requests",
    "meetings:agenda",
    "meetings:agenda_pdf",
    "meetings:agenda_ics",
    "meetings:meeting_outcome",
}

ANONYMOUS_PAGES = {
    "home",
    "login",
    "password_reset",
    "companies:signup",
    "missions:open",
    "missions:detail",
}

# Named URLs no link of the portal opens, and why.
NOT_LINKED = {
    # Only a form posts to them: the button is on the page named.
    "missions:transition": "the mission page's status buttons",
    "missions:duplicate": "the mission page's Duplicate button",
    "delegations:application_start": "the Apply buttons",
    "delegations:assess": "the application review page's form",
    "delegations:decide": "the application review page's buttons",
    "delegations:release": "the application review page's button",
    "companies:verify": "the company page's button",
    "companies:membership_approve": "the company page's membership requests",
    "companies:membership_refuse": "the company page's membership requests",
    "meetings:company_request_delete": "the company's requests page",
    "meetings:grid_schedule": "the grid's Run the scheduler button",
    "meetings:meeting_lock": "the grid's Lock buttons",
    "meetings:meetings_invite": "the grid's Send the invitations button",
    "campaigns:resend": "the outbox email page's button",
    "reports:report_transition": "the report page's review buttons",
    "logout": "the menu's Log out button",
    "set_language": "the language switcher",
    # Read by a page's script, not opened.
    "campaigns:campaign_progress": "the campaign page's progress, every few seconds",
    # Opened from an email.
    "meetings:meeting_respond": "the counterpart's invitation email",
    "meetings:counterpart_feedback": "the counterpart's email after the meeting",
    "meetings:follow_up": "the company's follow-up email",
    "password_reset_confirm": "the password reset email",
    # The step after a form: reached by submitting it.
    "password_reset_done": "after the reset form",
    "password_reset_complete": "after the new password",
    "password_change_done": "after the password change form",
    "delegations:application_edit": "the application page while the call is open",
    "delegations:application_confirm": "the application page once accepted, and its email",
    "delegations:announce": "the review list once decisions wait to be announced",
}


@pytest.fixture
def demo(client):
    call_command("seed_demo", quiet=True, stdout=io.StringIO())
    # A call for applications, sent as staff send one, and written (its task's work).
    mission = Mission.objects.filter(status=MissionStatus.OPEN).first()
    sectors = list(mission.sectors.values_list("code", flat=True))
    _logged_in(client, "staff@marseille.example").post(
        reverse("campaigns:campaign_new"),
        {"mission": mission.slug, "sectors": sectors, "action": "start"},
    )
    campaign_write(campaign_id=Campaign.objects.get(mission=mission).pk)
    client.logout()


def _logged_in(client, email):
    client.force_login(User.objects.get(email=email), backend="portal.backends.PortalBackend")
    return client


@pytest.mark.parametrize(
    "email, pages",
    [
        ("staff@marseille.example", STAFF_PAGES),
        ("elu@marseille.example", OFFICIAL_PAGES),
        ("entreprise@transpare.example", COMPANY_PAGES),
    ],
    ids=["staff", "official", "company"],
)
@pytest.mark.parametrize("language", ["fr", "en"])
def test_every_page_of_a_role_is_reached_by_links_from_its_home(
    client, demo, email, pages, language
):
    client.cookies["django_language"] = language
    french = []

    def read(address, page):
        if language == "en":
            french.extend((address, words) for words in french_words(page))

    found = crawl(_logged_in(client, email), read=read)

    assert found.broken == [], "links to errors (status, address, linked from)"
    assert pages - found.kinds == set(), "pages of the role no link leads to"
    assert french == [], "French on an English page (address, words)"


def _catalogue() -> list[str]:
    """The portal's French sentences that say something else in English: four words or
    more, nothing filled in (data can happen to share a word or two with them)."""
    po = (settings.BASE_DIR / "locale" / "fr" / "LC_MESSAGES" / "django.po").read_text()
    found = []
    for block in po.split("\n\n"):
        strings = {
            kind: "".join(json.loads(part) for part in re.findall(r'"(?:[^"\\]|\\.)*"', text))
            for kind, text in re.findall(r"^(msgid|msgstr)((?: ?\".*\"\n?)+)", block, re.M)
        }
        french = strings.get("msgstr", "")
        if (
            french != strings.get("msgid")
            and len(french.split()) >= 4
            and "%" not in french
            and "{" not in french
            and "<" not in french
        ):
            found.append(html.unescape(french))
    return found


FRENCH_SENTENCES = _catalogue()
# What Django writes in French: months, days, "heure de" (a zone's name).
FRENCH_WORDS = re.compile(
    r"\b(janvier|février|avril|juin|juillet|août|septembre|octobre|novembre|décembre|"
    r"lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|heure de)\b",
    re.IGNORECASE,
)


def french_words(page: str) -> list[str]:
    """The portal's own French found in the text of a page: scripts, tags and what is
    marked as written in French (an email shown in its recipient's language) aside."""
    text = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S)
    text = re.sub(r'<(\w+)\b[^>]*\blang="fr"[^>]*>.*?</\1>', " ", text, flags=re.S)
    text = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", text)).split())
    found = [sentence for sentence in FRENCH_SENTENCES if sentence in text]
    return found + FRENCH_WORDS.findall(text)


def test_anonymous_visitors_reach_the_public_pages(client, demo):
    found = crawl(client, start=reverse("login"))

    assert found.broken == []
    assert ANONYMOUS_PAGES - found.kinds == set()


def _names(resolver, namespace=""):
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace == "admin":
                continue
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _names(pattern, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield namespace + pattern.name


def test_every_url_is_a_page_of_a_role_or_says_why_not():
    pages = STAFF_PAGES | OFFICIAL_PAGES | COMPANY_PAGES | ANONYMOUS_PAGES

    names = set(_names(get_resolver()))

    assert names - pages - NOT_LINKED.keys() == set()
    assert (pages | NOT_LINKED.keys()) - names == set(), "names that are no URL"


@pytest.mark.django_db(False)
def test_the_demo_on_the_embedded_defaults_answers_every_link(tmp_path):
    """``make run``'s SQLite and eager tasks, on a fresh database: what PostgreSQL alone
    would hide (a row value SQLite does not have made the delegation page a 503)."""
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "CELERY_BROKER_URL": "",
        "CACHE_URL": "",
    }

    def run(*args):
        return subprocess.run(
            [sys.executable, *args],
            env=env,
            cwd=settings.BASE_DIR,
            capture_output=True,
            text=True,
            check=True,
            timeout=600,
        ).stdout

    run("manage.py", "migrate", "--noinput", "-v0")
    run("manage.py", "seed_demo", "--quiet")
    found = json.loads(run("-m", "portal.tests.crawl_demo"))

    for role, pages in (
        ("staff", STAFF_PAGES - {"campaigns:email", "campaigns:campaign"}),
        ("official", OFFICIAL_PAGES),
        ("company", COMPANY_PAGES),
    ):
        assert found[role]["broken"] == [], role
        assert pages - set(found[role]["kinds"]) == set(), role


def test_the_french_detector_finds_the_portals_french_and_leaves_marked_french_alone():
    page = (
        "<p>Meeting on 15 juin 2027, 09:00 (heure de Lisbonne)</p>"
        '<dd lang="fr">lundi</dd>'
        "<p>Les e-mails du portail sont rédigés dans cette langue.</p>"
    )

    assert french_words(page) == [
        "Les e-mails du portail sont rédigés dans cette langue.",
        "juin",
        "heure de",
    ]
