"""Fixtures of the campaigns' tests: a mission open for a call and its sectors; and, for
the worker tests, the outbox's SMTP sink, private Redis, database relay and real Celery
workers (notifications/tests/conftest.py)."""

import datetime

import pytest

from missions.tests.factories import OpenMissionFactory, SectorFactory
from notifications.tests.conftest import (  # noqa: F401 - fixtures, found by their name
    celery_broker,
    celery_worker,
    database_proxy,
    redis_server,
    smtp_backend,
    smtp_sink,
)

# A mission open for a call, and its sectors -----------------------------------------

DEADLINE = datetime.datetime(2030, 4, 15, 10, 0, tzinfo=datetime.UTC)


@pytest.fixture
def sectors():
    return {
        "digital": SectorFactory(code="digital", name_fr="Numérique", name_en="Digital"),
        "health": SectorFactory(code="health", name_fr="Santé", name_en="Health"),
        "sea": SectorFactory(code="sea", name_fr="Mer", name_en="Sea"),
    }


@pytest.fixture
def canada(sectors):
    mission = OpenMissionFactory(
        title="Canada — Toronto et Montréal 2030",
        slug="canada-2030",
        country="CA",
        cities="Toronto, Montréal",
        start_date=datetime.date(2030, 7, 5),
        end_date=datetime.date(2030, 7, 9),
        applications_open_at=datetime.datetime(2026, 11, 1, tzinfo=datetime.UTC),
        application_deadline=DEADLINE,
    )
    mission.sectors.set([sectors["digital"]])
    return mission
