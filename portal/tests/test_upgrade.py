"""The upgrade keeps every row: a PostgreSQL database migrated and seeded by the portal as
it was deployed before the apps were laid out as a stack (``BASE``) migrates to today's
layout, and every table it had holds the same rows afterwards (in the columns it kept),
under its new name where a model changed app.

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
# Table and column names come from the database itself.
ROWS = 'SELECT {columns} FROM "{table}"'


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


def _columns(database_url: str) -> dict[str, list[str]]:
    """Every table of the database with its columns, in their order."""
    with psycopg2.connect(database_url) as connection, connection.cursor() as cursor:
        cursor.execute(
            "SELECT table_name, column_name FROM information_schema.columns "
            "WHERE table_schema = 'public' ORDER BY table_name, ordinal_position"
        )
        columns: dict[str, list[str]] = {}
        for table, column in cursor.fetchall():
            columns.setdefault(table, []).append(column)
    return columns


def _rows(database_url: str, columns: dict[str, list[str]]) -> dict[str, list[tuple]]:
    """The rows of each table of ``columns``, read as text in those columns, sorted."""
    with psycopg2.connect(database_url) as connection, connection.cursor() as cursor:
        rows = {}
        for table, names in columns.items():
            listed = ", ".join(f'"{name}"::text' for name in names)
            cursor.execute(ROWS.format(columns=listed, table=table))
            rows[table] = sorted(
                cursor.fetchall(), key=lambda row: [(v is None, v or "") for v in row]
            )
    return rows


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
    old_columns = _columns(upgrade_database)
    before = _rows(upgrade_database, old_columns)

    _manage(ROOT, upgrade_database, "migrate", "--noinput")
    new_columns = _columns(upgrade_database)
    # Each table under its new name, read in the columns it kept: a column added since
    # (with its default) or dropped on purpose leaves the rows as they were.
    kept = {
        name: [
            column for column in columns if column in new_columns.get(RENAMED.get(name, name), [])
        ]
        for name, columns in old_columns.items()
    }
    after = _rows(
        upgrade_database,
        {
            RENAMED.get(name, name): columns
            for name, columns in kept.items()
            if RENAMED.get(name, name) in new_columns
        },
    )

    def as_kept(name: str) -> list[tuple]:
        places = [old_columns[name].index(column) for column in kept[name]]
        rows = [tuple(row[place] for place in places) for row in before[name]]
        return sorted(rows, key=lambda row: [(v is None, v or "") for v in row])

    assert len(before["missions_missionreport"]) > 0, "the seed wrote no report to carry over"
    lost = {
        name: (len(rows), len(after.get(RENAMED.get(name, name), [])))
        for name, rows in before.items()
        if name not in BOOKKEEPING and len(after.get(RENAMED.get(name, name), [])) != len(rows)
    }
    assert lost == {}
    for old, new in RENAMED.items():
        assert old not in new_columns and new in new_columns, (old, new)
        if old in before:  # the history tables came after BASE
            assert after[new] == as_kept(old), f"{old} -> {new}: the rows changed"
