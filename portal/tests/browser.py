"""Browser journeys: headless Chromium through Playwright's sync API, and axe-core audits.

The root conftest registers this module as a plugin, so the `browser` and `page` fixtures
are available to the tests of every app; tests import the helpers from here:

    from portal.tests.browser import audit, log_in

    @pytest.mark.browser
    def test_something(page, live_server, staff_user):
        log_in(page, live_server, staff_user.email, PASSWORD)

Chromium is Debian's (`/usr/bin/chromium`): Playwright never downloads a browser here.
"""

from __future__ import annotations

import importlib
import os

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 375, "height": 740}
# Short enough that a broken journey fails in seconds, long enough for a loaded CI box.
TIMEOUT_MS = 10_000

# axe-core's WCAG 2.0, 2.1 and 2.2 level A and AA rules plus its best practices: the rules
# axe runs by default, named so that a new axe release cannot quietly change the audit.
AXE_OPTIONS = {
    "runOnly": {
        "type": "tag",
        "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"],
    },
    "resultTypes": ["violations"],
}
BLOCKING_IMPACTS = ("serious", "critical")

REPORT_CSP_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", function (event) {
  console.error("Content Security Policy violation: " + event.violatedDirective
    + " refused " + (event.blockedURI || "inline") + " at " + event.sourceFile
    + ":" + event.lineNumber);
});
"""

# What the data migrations put in the database, as "module.function" taking (apps, editor).
MIGRATION_DATA = ["accounts.migrations.0002_role_groups.create_role_groups"]


@pytest.fixture(scope="session", autouse=True)
def _migration_data_survives_flush():
    """Put the data migrations' rows back whenever a transactional test flushes the tables.

    A `live_server` test runs on the transactional database, which ends with a flush of every
    table, also of what data migrations created (the role groups). Tests after it, and with
    --reuse-db the next runs, would find them gone (pytest-django issue #329). The flush
    sends post_migrate, as `migrate` does: recreate them then.
    """
    from django.apps import apps as global_apps
    from django.db.models.signals import post_migrate

    functions = []
    for dotted in MIGRATION_DATA:
        module, name = dotted.rsplit(".", 1)
        functions.append(getattr(importlib.import_module(module), name))

    def restore(sender, **kwargs):
        for function in functions:
            function(kwargs.get("apps") or global_apps, None)

    sender = global_apps.get_app_config("accounts")
    post_migrate.connect(restore, sender=sender, weak=False, dispatch_uid=__name__)
    yield
    post_migrate.disconnect(sender=sender, dispatch_uid=__name__)


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the whole run; each test gets its own context."""
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop running in the test thread from
    # here on; the ORM calls that tests make around it are still synchronous.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    playwright = sync_playwright().start()
    chromium = playwright.chromium.launch(
        executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
    )
    yield chromium
    chromium.close()
    playwright.stop()
    if previous is None:
        del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def page(browser, live_server):
    """A tab in a fresh context (no cookies, no storage), at desktop width, set up like the
    browser of someone in Marseille: French first, Paris time. `use_language` switches.

    After the test it fails if the page raised a JavaScript error, a static file of the
    portal did not load, or Chromium refused something under the Content-Security-Policy
    (an inline script or style, a handler, a source not allowed): every journey checks
    that for free.
    """
    context = browser.new_context(
        viewport=DESKTOP,
        base_url=live_server.url,
        locale="fr-FR",
        timezone_id="Europe/Paris",
    )
    context.set_default_timeout(TIMEOUT_MS)
    tab = context.new_page()
    problems = []
    tab.on("pageerror", lambda error: problems.append(f"JavaScript error: {error}"))
    # Chromium logs each refusal on the console; the event also reaches the page's
    # scripts, which the script below (injected by the browser, outside the policy) logs.
    tab.add_init_script(REPORT_CSP_VIOLATIONS)
    tab.on(
        "console",
        lambda message: (
            problems.append(f"{message.type} on {message.location.get('url')}: {message.text}")
            if "Content Security Policy" in message.text
            or "Content-Security-Policy" in message.text
            else None
        ),
    )
    tab.on(
        "response",
        lambda response: (
            problems.append(f"{response.status} on {response.url}")
            if "/static/" in response.url and response.status >= 400
            else None
        ),
    )
    yield tab
    context.close()
    assert not problems, "\n".join(problems)


def use_language(page, live_server, code: str) -> None:
    """Show the portal in `code` ("en", "fr") from the next page load on."""
    page.context.add_cookies([{"name": "django_language", "value": code, "url": live_server.url}])


def log_in(page, live_server, email: str, password: str):
    """Fill the real log-in form, submit it, and wait for the page it leads to.

    Returns the response of that page: the home page on success, the form again on failure.
    """
    page.goto(f"{live_server.url}/accounts/login/")
    form = page.locator("main form").filter(has=page.locator("input[name=password]"))
    form.locator("input[name=username]").fill(email)
    form.locator("input[name=password]").fill(password)
    with page.expect_navigation() as navigation:
        form.locator("[type=submit]").click()
    return navigation.value


def audit(page, *, context: str | dict | None = None) -> list[dict]:
    """The axe-core violations on the page as it is now, of serious or critical impact."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, context=context, options=AXE_OPTIONS)
    return [v for v in results.response["violations"] if v["impact"] in BLOCKING_IMPACTS]


def describe(violations: list[dict]) -> str:
    """Violations as a person reads them: rule, impact, what to do, and where."""
    lines = [f"{len(violations)} accessibility violation(s):"]
    for violation in violations:
        lines.append(
            f"- {violation['id']} ({violation['impact']}): {violation['help']}"
            f" — {violation['helpUrl']}"
        )
        for node in violation["nodes"]:
            target = " ".join(str(part) for part in node["target"])
            lines.append(f"    at {target}")
            lines.append(f"       {node['html'][:200]}")
            if node.get("failureSummary"):
                summary = " ".join(node["failureSummary"].split())
                lines.append(f"       {summary}")
    return "\n".join(lines)
