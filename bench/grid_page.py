"""Benchmark of the meeting grid page: 30 companies, 60 counterparts, 300 meetings.

Run with `make bench` (PostgreSQL database `portal_bench`). Builds the mission once per
run: 30 confirmed companies, 60 counterparts, a grid of 2 days, 2 sessions a day, of 30-minute
slots (28 slots) and 12 tables, 300 qualified requests placed by the scheduler. Then
renders the grid page as staff through Django's test client, and prints the median and
maximum time and the number of queries. Exits non-zero if the median reaches 300 ms or
fewer than 300 meetings are on the grid.
"""

import datetime
import os
import statistics
import sys
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
sys.path.insert(0, str(BASE_DIR / "bench"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/portal_bench")
os.environ.setdefault("CELERY_BROKER_URL", "redis://127.0.0.1:6379/8")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")

COMPANIES = 30
COUNTERPARTS = 60
MEETINGS = 300
REQUESTS_PER_COMPANY = MEETINGS // COMPANIES
TABLES = 12
RUNS = int(os.environ.get("BENCH_GRID_RUNS", "30"))
TARGET_MS = 300
SLUG = "bench-grid"


def build_mission():
    """The mission, its delegation, counterparts, grid and 300 meetings, made anew."""
    from companies.models import Company
    from delegations.enums import ApplicationStatus
    from delegations.models import Application
    from meetings.enums import MeetingRequestStatus
    from meetings.models import Counterpart, Meeting, MeetingRequest
    from meetings.services.grid import grid_configure, meetings_schedule
    from missions.enums import MissionStatus
    from missions.models import Mission

    # Meetings hold their slot (PROTECT): they go first.
    Meeting.objects.filter(slot__grid__mission__slug=SLUG).delete()
    Mission.objects.filter(slug=SLUG).delete()
    Company.objects.filter(name__startswith="Grid bench ").delete()
    start = datetime.date.today() + datetime.timedelta(days=120)
    mission = Mission.objects.create(
        slug=SLUG,
        title="Bench — Toronto meetings",
        country="CA",
        cities="Toronto",
        timezone="America/Toronto",
        start_date=start,
        end_date=start + datetime.timedelta(days=4),
        status=MissionStatus.CONFIRMED,
        capacity=COMPANIES,
    )
    companies = Company.objects.bulk_create(
        [Company(name=f"Grid bench {n:02d}", verified=True) for n in range(COMPANIES)]
    )
    applications = Application.objects.bulk_create(
        [
            Application(
                mission=mission,
                company=company,
                status=ApplicationStatus.CONFIRMED,
                announced_status=ApplicationStatus.CONFIRMED,
            )
            for company in companies
        ]
    )
    counterparts = Counterpart.objects.bulk_create(
        [
            Counterpart(
                mission=mission,
                organisation=f"Maple Partner {n:02d}",
                kind="buyer",
                contact_name="Jane Doe",
                email=f"partner{n}@toronto.example",
            )
            for n in range(COUNTERPARTS)
        ]
    )
    # Company i asks to meet 10 counterparts, each counterpart is asked by 5 companies.
    MeetingRequest.objects.bulk_create(
        [
            MeetingRequest(
                application=application,
                counterpart=counterparts[(i * 2 + k * 6) % COUNTERPARTS],
                priority=1 + (i + k) % 3,
                status=MeetingRequestStatus.QUALIFIED,
            )
            for i, application in enumerate(applications)
            for k in range(REQUESTS_PER_COMPANY)
        ]
    )
    days = [start, start + datetime.timedelta(days=1)]
    grid_configure(
        mission=mission,
        by=None,
        sessions=[
            {"date": day, "start": begins, "end": ends}
            for day in days
            for begins, ends in (("09:00", "12:30"), ("14:00", "17:30"))
        ],
        slot_minutes=30,
        tables=TABLES,
    )
    report = meetings_schedule(mission=mission, by=None)
    return mission, report


def main() -> int:
    from outbox import ensure_database

    ensure_database()
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import override_settings
    from django.urls import reverse

    from accounts.models import User
    from accounts.tests.factories import StaffFactory
    from meetings.models import Meeting

    # The page as served after collectstatic, without needing its manifest here.
    override_settings(
        STORAGES={
            **settings.STORAGES,
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        }
    ).enable()
    call_command("migrate", verbosity=0)
    print("Building the grid: 30 companies, 60 counterparts, 300 requests…", flush=True)
    mission, report = build_mission()
    meetings = Meeting.objects.filter(slot__grid__mission=mission).count()
    print(
        f"Scheduler: {report.placed} placed, {len(report.unscheduled)} not placed, "
        f"objective {report.objective}/{report.bound}, {report.seconds * 1000:.0f} ms",
        flush=True,
    )
    # Not "bench-…@example.org": those are the outbox benchmark's recipients.
    User.objects.filter(email__startswith="grid-bench-staff").delete()
    staff = StaffFactory(email="grid-bench-staff@marseille.example")
    client = Client()
    client.force_login(staff)
    url = reverse("meetings:grid", args=[mission.pk])

    for _ in range(3):  # warm up: templates compiled, connections open
        assert client.get(url).status_code == 200
    queries = []
    with connection.execute_wrapper(
        lambda execute, sql, *args: queries.append(sql) or execute(sql, *args)
    ):
        response = client.get(url)
    assert response.status_code == 200
    size = len(response.content)

    timings = []
    for _ in range(RUNS):
        started = time.perf_counter()
        response = client.get(url)
        timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200
    median, worst = statistics.median(timings), max(timings)

    print(
        f"Grid page, {meetings} meetings, {RUNS} renders: median {median:.1f} ms, "
        f"max {worst:.1f} ms, {len(queries)} queries, {size // 1024} KiB of HTML"
    )
    failed = False
    if meetings < MEETINGS:
        print(f"FAILED: {meetings} meetings on the grid, {MEETINGS} expected.")
        failed = True
    if median >= TARGET_MS:
        print(f"FAILED: median {median:.1f} ms, target under {TARGET_MS} ms.")
        failed = True
    if not failed:
        print(f"OK: median under {TARGET_MS} ms.")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
