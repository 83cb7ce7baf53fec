"""Checks over the whole project: lint, migrations, translations, deployment settings."""

import os
import re
import shutil
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.management import call_command

BASE_DIR = settings.BASE_DIR
BIN = os.path.dirname(sys.executable)


def test_ruff_is_clean():
    result = subprocess.run(
        [os.path.join(BIN, "ruff"), "check", "."],
        cwd=BASE_DIR,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


# The stack, top first: an app imports only the apps after it (README, "Where things are").
STACK = ["portal", "demo", "reports", "campaigns", "meetings",
         "delegations", "companies", "missions",
         "notifications", "accounts", "core"]  # fmt: skip


def test_the_import_contract_holds_every_app_of_the_stack():
    """The contract is not kept by leaving an app out of it: its layers are the stack,
    every app of the project is in it, and lint-imports finds no import pointing up."""
    import configparser

    config = configparser.ConfigParser()
    config.read(BASE_DIR / ".importlinter")
    layers = config["importlinter:contract:stack"]["layers"].split()
    roots = config["importlinter"]["root_packages"].split()
    local_apps = {
        app.split(".")[0]
        for app in settings.INSTALLED_APPS
        if (BASE_DIR / app.split(".")[0]).is_dir()
    }
    assert layers == STACK
    assert sorted(roots) == sorted(STACK) == sorted(local_apps)
    assert config["importlinter:contract:stack"]["type"] == "layers"

    result = subprocess.run(
        [os.path.join(BIN, "lint-imports"), "--no-cache"],
        cwd=BASE_DIR,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 kept, 0 broken" in result.stdout


@pytest.mark.django_db
def test_migrations_match_the_models():
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


def _po_entries(path):
    """msgid -> (msgstr or plural forms, fuzzy?) of a .po file, header left out."""
    entries = {}
    text = path.read_text(encoding="utf-8")
    for block in text.split("\n\n"):
        fuzzy = "#, fuzzy" in block or re.search(r"^#,.*\bfuzzy\b", block, re.M) is not None
        fields = {}
        current = None
        for line in block.splitlines():
            match = re.match(r'^(msgctxt|msgid|msgid_plural|msgstr(?:\[\d\])?) "(.*)"$', line)
            if match:
                current = match.group(1)
                fields[current] = match.group(2)
            elif line.startswith('"') and current:
                fields[current] += line[1:-1]
        if fields.get("msgid"):
            key = (fields.get("msgctxt", ""), fields["msgid"])
            translations = [v for k, v in fields.items() if k.startswith("msgstr")]
            entries[key] = (translations, fuzzy)
    return entries


@pytest.fixture(scope="module")
def fresh_french_catalogue(tmp_path_factory):
    """The French catalogue as makemessages would write it from today's code.

    It runs on a copy of the sources, so that the real catalogue is left alone.
    """
    copy = tmp_path_factory.mktemp("sources") / "portal"
    shutil.copytree(
        BASE_DIR,
        copy,
        ignore=shutil.ignore_patterns(
            ".venv", ".git", "staticfiles", "node_modules", "__pycache__", "*.sqlite3"
        ),
    )
    previous = os.getcwd()
    os.chdir(copy)
    try:
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(settings, "LOCALE_PATHS", [str(copy / "locale")])
            call_command("makemessages", locale=["fr"], no_obsolete=True, verbosity=0)
    finally:
        os.chdir(previous)
    return copy / "locale" / "fr" / "LC_MESSAGES" / "django.po"


def test_every_string_of_the_code_has_a_french_translation(fresh_french_catalogue):
    entries = _po_entries(fresh_french_catalogue)
    missing = [msgid for msgid, (strs, fuzzy) in entries.items() if fuzzy or not all(strs)]

    assert len(entries) > 100
    assert missing == [], f"{len(missing)} strings lack a French translation: {missing[:20]}"


def test_compiled_french_catalogue_is_up_to_date():
    po = BASE_DIR / "locale" / "fr" / "LC_MESSAGES" / "django.po"
    mo = po.with_suffix(".mo")
    result = subprocess.run(
        ["msgfmt", "--check-format", "-o", "-", str(po)],
        capture_output=True,
        check=True,
    )
    assert mo.read_bytes() == result.stdout, "run `make messages` to compile django.mo"


def test_every_scrolling_table_can_be_reached_by_keyboard():
    """A table wider than a phone scrolls in its ``.table-responsive`` box: the box takes
    the keyboard's focus so that it can be scrolled without a mouse (axe-core's
    scrollable-region-focusable)."""
    boxes = [
        (path.relative_to(BASE_DIR), line)
        for path in (BASE_DIR / "templates").rglob("*.html")
        for line in path.read_text().splitlines()
        if "table-responsive" in line
    ]

    assert len(boxes) > 20
    assert [box for box in boxes if 'tabindex="0"' not in box[1]] == []
