"""Benchmark of the outbox: a 10,000-email campaign, started by a request, sent by one worker.

Run with `make bench` (PostgreSQL database `portal_bench`, Redis db 8, an SMTP sink in this
process). Prints the figures and exits non-zero if a target is missed:
- the request that starts the campaign returns in under 200 ms;
- one worker (`celery worker`, default concurrency) delivers at 200 emails/s or more.
"""

import logging
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/portal_bench")
os.environ.setdefault("CELERY_BROKER_URL", "redis://127.0.0.1:6379/8")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")

RECIPIENTS = int(os.environ.get("BENCH_RECIPIENTS", "10000"))
REQUEST_TARGET_MS = 200
RATE_TARGET = 200


def ensure_database() -> None:
    import psycopg2
    from psycopg2 import sql

    from portal.env import database_from_env

    config = database_from_env(os.environ, base_dir=BASE_DIR)
    connection = psycopg2.connect(
        dbname="postgres", user=config["USER"], host=config["HOST"], port=config["PORT"] or 5432
    )
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [config["NAME"]])
        if cursor.fetchone() is None:
            cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(config["NAME"])))
    connection.close()


class Sink:
    """An SMTP server on 127.0.0.1 that counts what it receives."""

    def __init__(self):
        from aiosmtpd.controller import Controller

        logging.getLogger("mail.log").setLevel(logging.WARNING)
        self.count = 0
        self.lock = threading.Lock()
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.count += 1
        return "250 OK"

    def __enter__(self):
        self.controller.start()
        return self

    def __exit__(self, *exc):
        self.controller.stop()


def prepare_recipients(count: int):
    """Verified companies that accept calls, each with one member; made once, kept."""
    from django.contrib.auth.hashers import make_password

    from accounts.models import User
    from companies.models import Company, CompanyMembership
    from missions.models import Sector

    sector, _ = Sector.objects.get_or_create(
        code="digital", defaults={"name_fr": "Numérique", "name_en": "Digital"}
    )
    # Exactly ``count`` recipients, whatever earlier runs (with another count) left.
    existing = dict(
        User.objects.filter(email__regex=r"^bench-[0-9]+@example\.org$").values_list("email", "pk")
    )
    wanted = {f"bench-{n}@example.org": n for n in range(count)}
    extra = [pk for email, pk in existing.items() if email not in wanted]
    if extra:
        Company.objects.filter(memberships__user__in=extra).delete()
        User.objects.filter(pk__in=extra).delete()
    missing = [n for email, n in wanted.items() if email not in existing]
    if missing:
        password = make_password(None)
        companies = Company.objects.bulk_create(
            [Company(name=f"Bench {n}", verified=True, invitations_opt_in=True) for n in missing]
        )
        # Bench rows, like the companies above: no signals, hence no audit trail.
        Company.sectors.through.objects.bulk_create(
            [Company.sectors.through(company=company, sector=sector) for company in companies]
        )
        users = User.objects.bulk_create(
            [
                User(
                    email=f"bench-{n}@example.org",
                    first_name="Bench",
                    last_name=str(n),
                    password=password,
                    language="en" if n % 3 == 0 else "fr",
                )
                for n in missing
            ]
        )
        CompanyMembership.objects.bulk_create(
            [
                CompanyMembership(user=user, company=company)
                for user, company in zip(users, companies, strict=True)
            ]
        )
    return sector


def main() -> int:
    ensure_database()
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.utils import timezone

    from accounts.tests.factories import StaffFactory
    from campaigns.models import Campaign
    from missions.enums import MissionStatus
    from missions.models import Mission
    from notifications.models import EmailStatus, OutboundEmail
    from portal.celery import app

    call_command("migrate", verbosity=0)
    print(f"Preparing {RECIPIENTS} recipients…", flush=True)
    sector = prepare_recipients(RECIPIENTS)
    OutboundEmail.objects.all().delete()
    Campaign.objects.all().delete()
    # What autovacuum would have done on a live database since the last run's deletions.
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    app.control.purge()
    today = timezone.localdate()
    mission, _ = Mission.objects.update_or_create(
        slug="bench-toronto",
        defaults={
            "title": "Bench — Toronto",
            "country": "CA",
            "cities": "Toronto",
            "timezone": "America/Toronto",
            "start_date": today + timezone.timedelta(days=120),
            "end_date": today + timezone.timedelta(days=124),
            "status": MissionStatus.OPEN,
            "applications_open_at": timezone.now() - timezone.timedelta(days=1),
            "application_deadline": timezone.now() + timezone.timedelta(days=60),
        },
    )
    mission.sectors.set([sector])
    staff = StaffFactory(email=f"bench-staff-{int(time.time())}@marseille.example")

    with Sink() as sink:
        env = {
            **os.environ,
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(sink.port),
            "LOG_LEVEL": "WARNING",
        }
        worker = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "portal",
                "worker",
                "--loglevel=WARNING",
                "-n",
                "bench@%h",
                "--without-heartbeat",
                "--without-gossip",
                "--without-mingle",
            ],
            cwd=BASE_DIR,
            env=env,
            start_new_session=True,
        )
        try:
            wait_for_worker(app)
            client = Client()
            client.force_login(staff)
            url, data = campaign_request(mission)
            connection.queries_log.clear()
            started = time.perf_counter()
            response = client.post(url, data)
            request_ms = (time.perf_counter() - started) * 1000
            if response.status_code != 302:
                print(f"The campaign request answered {response.status_code}", file=sys.stderr)
                return 1
            campaign = Campaign.objects.latest("pk")
            first_sent = None
            deadline = time.monotonic() + 600
            while time.monotonic() < deadline:
                sent = OutboundEmail.objects.filter(
                    campaign=campaign, status=EmailStatus.SENT
                ).count()
                if sent and first_sent is None:
                    first_sent = time.perf_counter()
                if sent >= RECIPIENTS:
                    break
                time.sleep(0.2)
            finished = time.perf_counter()
        finally:
            os.killpg(worker.pid, signal.SIGTERM)
            worker.wait(timeout=60)
        emails = OutboundEmail.objects.filter(campaign=campaign)
        total = emails.count()
        sent = emails.filter(status=EmailStatus.SENT).count()
        failed = emails.filter(status=EmailStatus.FAILED).count()
        span = emails.aggregate(
            first=django.db.models.Min("sent_at"), last=django.db.models.Max("sent_at")
        )
        delivery_seconds = (span["last"] - span["first"]).total_seconds() if sent > 1 else 0
        rate = sent / delivery_seconds if delivery_seconds else 0.0
        end_to_end = finished - started
        received = sink.count

    print(f"campaign request: {request_ms:.0f} ms (target < {REQUEST_TARGET_MS} ms)")
    print(f"emails written: {total}, sent: {sent}, failed: {failed}, sink received: {received}")
    print(
        f"delivery: {rate:.0f} emails/s over {delivery_seconds:.1f} s (target ≥ {RATE_TARGET}/s)"
    )
    print(f"request to last email: {end_to_end:.1f} s")
    ok = (
        request_ms < REQUEST_TARGET_MS
        and sent == RECIPIENTS
        and received == RECIPIENTS
        and rate >= RATE_TARGET
    )
    print("OK" if ok else "TARGET MISSED")
    return 0 if ok else 1


def wait_for_worker(app, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if app.control.ping(timeout=1):
            return
    raise RuntimeError("The worker did not start.")


def campaign_request(mission):
    """The staff page's form that starts a call for applications (campaigns.views)."""
    from django.urls import reverse

    return reverse("campaigns:campaign_new"), {
        "mission": mission.slug,
        "sectors": [sector.code for sector in mission.sectors.all()],
        "action": "start",
    }


if __name__ == "__main__":
    sys.exit(main())
