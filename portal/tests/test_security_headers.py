"""The headers every answer carries: Content-Security-Policy on every page of every role,
and, with HTTPS=true, HSTS and secure cookies.

The policy lets a page run only the portal's own script files: no inline script, no
``on*=`` handler, no ``javascript:`` URL. The walk below also reads each page's markup for
them (and for ``style=`` attributes, which the policy refuses as well), so that a new one is
caught here, not by a user whose button does nothing.
"""

import io
import runpy
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from django.urls import resolve

from accounts.models import User
from accounts.tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

SETTINGS_FILE = Path(__file__).resolve().parent.parent / "settings.py"

POLICY = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}

# The pages that preview an email allow its own inline styles, by hash, and nothing else
# (notifications/preview.py; tested there).
EMAIL_PREVIEWS = {"campaigns:email", "campaigns:campaign_new"}

# The demo's logins (seed_demo), one per role, and the visitor without one.
ROLES = {
    "anonymous": None,
    "staff": "staff@marseille.example",
    "official": "elu@marseille.example",
    "company": "entreprise@transpare.example",
    "administrator": "admin@marseille.example",
}


def policy_of(response) -> dict[str, list[str]]:
    """The Content-Security-Policy header as {directive: sources}; {} without one."""
    header = response.headers.get("Content-Security-Policy", "")
    if not header:
        return {}
    return {name: sources for name, *sources in (part.split() for part in header.split(";"))}


class PageScan(HTMLParser):
    """The links of a page, and what a strict policy would refuse in its markup."""

    URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href"}

    def __init__(self):
        super().__init__()
        self.links: list[str] = []
        self.refused: list[str] = []

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        if tag == "script" and not values.get("src"):
            self.refused.append(f"inline <script> at line {self.getpos()[0]}")
        for name, value in attrs:
            if name.startswith("on"):
                self.refused.append(f"<{tag} {name}=…> at line {self.getpos()[0]}")
            elif name == "style":
                self.refused.append(f'<{tag} style="{value}"> at line {self.getpos()[0]}')
            elif name in self.URL_ATTRIBUTES and (value or "").strip().lower().startswith(
                "javascript:"
            ):
                self.refused.append(f"<{tag} {name}={value!r}> at line {self.getpos()[0]}")
        if tag == "a" and values.get("href"):
            self.links.append(values["href"])


def _scan(response) -> PageScan:
    scan = PageScan()
    scan.feed(response.content.decode())
    scan.close()
    return scan


def _less_email_styles(path: str, policy: dict[str, list[str]]) -> dict[str, list[str]]:
    """The policy of a page, less the hashes of the email's styles on a preview page."""
    styles = policy.get("style-src", [])
    if (
        styles[:2] == ["'self'", "'unsafe-hashes'"]
        and all(source.startswith("'sha256-") for source in styles[2:])
        and resolve(urlsplit(path).path).view_name in EMAIL_PREVIEWS
    ):
        return {**policy, "style-src": ["'self'"]}
    return policy


def _is_html(response) -> bool:
    return response.headers.get("Content-Type", "").startswith("text/html")


def _walk(client, start: str = "/", depth: int = 2) -> dict[str, object]:
    """The start page and the pages of the portal within `depth` links of it, each
    fetched once (redirects followed): {path: response}."""
    pages = {start: client.get(start, follow=True)}
    frontier = [start]
    for _level in range(depth):
        found = []
        for page in frontier:
            if not _is_html(pages[page]):
                continue
            for link in _scan(pages[page]).links:
                parts = urlsplit(link)
                if parts.scheme or parts.netloc or not parts.path.startswith("/"):
                    continue  # another site, or an anchor on the same page
                path = parts.path + (f"?{parts.query}" if parts.query else "")
                if path not in pages:
                    pages[path] = client.get(path, follow=True)
                    found.append(path)
        frontier = found
    return pages


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo's programme, loaded once for the module's walks."""
    with django_db_blocker.unblock():
        call_command("seed_demo", stdout=io.StringIO())
        yield
        call_command("flush", interactive=False, verbosity=0)


@pytest.mark.parametrize("role", ROLES)
def test_csp_pages_within_two_links_of_home_have_strict_policy(client, demo, role):
    if ROLES[role]:
        client.force_login(User.objects.get(email=ROLES[role]))

    pages = _walk(client)

    assert len(pages) >= 6
    problems = []
    # Whatever the answer (a few links lead to a 404 for a company), it has the policy.
    for path, response in pages.items():
        policy = policy_of(response)
        if _less_email_styles(path, policy) != POLICY:
            problems.append(f"{path}: {response.headers.get('Content-Security-Policy')!r}")
        if "'unsafe-inline'" in policy.get("script-src", []):
            problems.append(f"{path}: 'unsafe-inline' in script-src")
        if _is_html(response):
            problems.extend(f"{path}: {refused}" for refused in _scan(response).refused)
    assert problems == []


# With HTTPS=true ------------------------------------------------------------------------

# The headers and cookies the settings file decides; the rest (database...) is the tests'.
SECURITY_PREFIXES = ("SECURE_", "SESSION_COOKIE_", "CSRF_COOKIE_", "X_FRAME_", "CONTENT_SECURITY_")
PROXY = {"headers": {"X-Forwarded-Proto": "https"}}


@pytest.fixture
def https(settings, monkeypatch):
    """The security settings as portal/settings.py computes them with HTTPS=true."""
    monkeypatch.setenv("HTTPS", "true")
    computed = runpy.run_path(str(SETTINGS_FILE))
    for name, value in computed.items():
        if name.startswith(SECURITY_PREFIXES):
            setattr(settings, name, value)
    return computed


def test_https_plain_http_request_redirected_to_https(client, https):
    response = client.get("/missions/open/")

    assert response.status_code == 301
    assert response.headers["Location"] == "https://testserver/missions/open/"


def test_https_page_sends_hsts_frame_referrer_nosniff_and_csp(client, https):
    response = client.get("/missions/open/", **PROXY)

    assert response.status_code == 200
    assert response.headers["Strict-Transport-Security"] == (
        "max-age=31536000; includeSubDomains; preload"
    )
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Cross-Origin-Opener-Policy"] == "same-origin"
    assert policy_of(response) == POLICY


def test_https_login_sets_secure_httponly_session_and_secure_csrf_cookies(
    client, https, staff_user
):
    form = client.get("/accounts/login/", **PROXY)
    csrf = form.cookies["csrftoken"]

    response = client.post(
        "/accounts/login/",
        {"username": staff_user.email, "password": PASSWORD, "csrfmiddlewaretoken": csrf.value},
        **PROXY,
    )

    assert response.status_code == 302
    session = response.cookies["sessionid"]
    assert (session["secure"], session["httponly"], session["samesite"]) == (True, True, "Lax")
    assert (csrf["secure"], csrf["httponly"], csrf["samesite"]) == (True, "", "Lax")


def test_http_development_cookies_not_secure(client, staff_user):
    form = client.get("/accounts/login/")
    csrf = form.cookies["csrftoken"]

    response = client.post(
        "/accounts/login/",
        {"username": staff_user.email, "password": PASSWORD, "csrfmiddlewaretoken": csrf.value},
    )

    assert response.status_code == 302
    assert "Strict-Transport-Security" not in response.headers
    assert (response.cookies["sessionid"]["secure"], csrf["secure"]) == ("", "")
    assert response.cookies["sessionid"]["httponly"] is True
