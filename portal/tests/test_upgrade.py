"""The upgrade keeps every row: a PostgreSQL database migrated and seeded by the portal as
it was deployed before the apps were laid out as a stack (``BASE``) migrates to today's
layout, and every table it had holds the same rows afterwards, under its new name where a
model changed app.

The old code is taken from this repository's own history (``git archive``): the test
needs the clone's history, as CI has it, and fails if it is missing.
"""

import os
import subprocess
import sys
import tarfile
from io import BytesIO
from pathlib import Path

import psycopg2
import pytest
from django.conf import settings

# The last main deployed before issue 12 (the apps as a stack).
BASE = "f727df0"
ROOT = Path(settings.BASE_DIR)
# Tables that moved with their model: old name -> new name.
RENAMED = {
    "missions_missionreport": "reports_missionreport",
    "missions_reportstatuschange": "reports_reportstatuschange",
    "notifications_campaign": "campaigns_campaign",
    **{
        f"delegations_{table}": f"meetings_{table}"
        for table in [
            "counterpart",
            "counterpart_sectors",
            "historicalcounterpart",
            "historicalcounterpart_sectors",
            "meeting",
            "meetingchange",
            "meetinggrid",
            "meetingrequest",
            "meetingrequeststatuschange",
            "meetingslot",
            "unavailability",
        ]
    },
}
# Tables whose rows a migration adds by design (Django's own bookkeeping).
BOOKKEEPING = {"django_migrations", "django_content_type", "auth_permission", "django_session"}
# Table names come from the database itself.
DIGEST = (
    "SELECT count(*), md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) "
    'FROM "{table}" t'
)


def _server_url(database: str) -> str:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        pytest.fail("The upgrade test needs PostgreSQL: set DATABASE_URL (make test does).")
    return url.rsplit("/", 1)[0] + "/" + database


def _admin_connection():
    connection = psycopg2.connect(_server_url("postgres"))
    connection.autocommit = True
    return connection


def _manage(cwd: Path, database_url: str, *args: str) -> None:
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "PYTEST_"))
    }
    environment.pop("CELERY_BROKER_URL", None)  # tasks run eagerly, as with make run
    environment.update(DATABASE_URL=database_url, DEBUG="false")
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=cwd,
        env=environment,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, f"manage.py {' '.join(args)} in {cwd}:\n{result.stderr}"


def _tables(database_url: str) -> dict[str, tuple[int, str]]:
    """Every table of the database: its row count and a digest of its rows."""
    with psycopg2.connect(database_url) as connection, connection.cursor() as cursor:
        cursor.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
        )
        names = [name for (name,) in cursor.fetchall()]
        tables = {}
        for name in names:
            cursor.execute(DIGEST.format(table=name))
            tables[name] = cursor.fetchone()
    return tables


@pytest.fixture
def old_code(tmp_path):
    """The portal as it was at ``BASE``, from the repository's history."""
    archive = subprocess.run(
        ["git", "archive", "--format=tar", BASE], cwd=ROOT, capture_output=True, timeout=60
    )
    assert archive.returncode == 0, (
        f"git archive {BASE} failed: the upgrade test needs the clone's history "
        f"({archive.stderr.decode().strip()})"
    )
    with tarfile.open(fileobj=BytesIO(archive.stdout)) as tar:
        tar.extractall(tmp_path / "old", filter="data")
    return tmp_path / "old"


@pytest.fixture
def upgrade_database():
    name = f"portal_upgrade_{os.getpid()}"
    connection = _admin_connection()
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cursor.execute(f'CREATE DATABASE "{name}"')
    connection.close()
    yield _server_url(name)
    connection = _admin_connection()
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    connection.close()


def test_upgrade_from_the_deployed_schema_keeps_every_row(old_code, upgrade_database):
    _manage(old_code, upgrade_database, "migrate", "--noinput")
    _manage(old_code, upgrade_database, "seed_demo")
    before = _tables(upgrade_database)

    _manage(ROOT, upgrade_database, "migrate", "--noinput")
    after = _tables(upgrade_database)

    assert before["missions_missionreport"][0] > 0, "the seed wrote no report to carry over"
    lost = {
        name: (rows, after.get(RENAMED.get(name, name)))
        for name, rows in before.items()
        if name not in BOOKKEEPING and after.get(RENAMED.get(name, name), (None,))[0] != rows[0]
    }
    assert lost == {}
    for old, new in RENAMED.items():
        assert old not in after and new in after, (old, new)
        if old in before:  # the history tables came after BASE
            assert after[new] == before[old], f"{old} -> {new}: the rows changed"
