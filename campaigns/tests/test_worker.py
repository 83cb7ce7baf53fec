"""Calls for applications written and sent by real Celery workers, through the outbox,
while the database goes away: every task waits for it, no email is lost, none is sent
twice (the outbox's own worker tests are in notifications/tests/test_worker.py)."""

import itertools
import re
import time
from collections import Counter

import pytest
from django.db import transaction

from campaigns import services, tasks
from companies.tests.factories import CompanyFactory, CompanyMemberFactory
from missions.tests.factories import OpenMissionFactory
from notifications.models import EmailStatus, OutboundEmail
from notifications.tests.conftest import CONTEXT, KIND, wait_until

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

FAILED_ON_DATABASE = re.compile(
    r"Task (?:notifications|campaigns)\.(\w+)\[[-\w]+\] "
    r"(?:raised unexpected|retry: Retry in \d+s): OperationalError"
)


def _failed_on_database(worker) -> set[str]:
    """The names of the tasks that the worker says failed on the database."""
    return set(FAILED_ON_DATABASE.findall(worker.log()))


def _sent() -> int:
    return OutboundEmail.objects.filter(status=EmailStatus.SENT).count()


def _start_call(mission):
    with transaction.atomic():
        return services.campaign_start(
            kind=KIND, audience="company_members",
            audience_params={"sectors": ["digital"]}, context=CONTEXT, mission=mission,
        )  # fmt: skip


def _campaign_members(count: int, sectors) -> list[str]:
    """``count`` members of verified digital companies, that a call to digital reaches."""
    emails = []
    for n in range(count):
        company = CompanyFactory(name=f"Digital {n}")
        company.sectors.set([sectors["digital"]])
        emails.append(CompanyMemberFactory(membership__company=company).email)
    return emails


def test_worker_database_unreachable_every_campaign_task_retried_until_it_answers(
    celery_worker, database_proxy, smtp_sink, canada, sectors
):
    members = _campaign_members(2, sectors)
    worker = celery_worker(database=database_proxy)
    database_proxy.cut()

    _start_call(canada)
    tasks.dispatch_pending.delay()
    # The tasks met the database away: not acknowledged and dropped, retried.
    wait_until(
        lambda: _failed_on_database(worker) == {"write_campaign", "dispatch_pending"},
        timeout=30,
        what="the two tasks to fail on the database",
    )
    database_proxy.restore()

    wait_until(lambda: _sent() == 2, timeout=30, what="the 2 emails sent")
    assert dict(Counter(OutboundEmail.objects.values_list("status", flat=True))) == {
        EmailStatus.SENT: 2
    }
    assert sorted(smtp_sink.recipients()) == sorted(members)
    assert smtp_sink.portal_ids() == Counter(
        {str(pk): 1 for pk in OutboundEmail.objects.values_list("pk", flat=True)}
    )
    assert worker.log().count("raised unexpected") == 0


# The target: a sub-second database restart delays no email by more than 30 s ----------


def _call_recipients(count: int, sector) -> None:
    """``count`` verified companies of ``sector``, each with one member: a call's audience."""
    from django.contrib.auth.hashers import make_password

    from accounts.models import User
    from companies.models import Company, CompanyMembership

    companies = Company.objects.bulk_create(
        Company(name=f"Restart {n}", verified=True, invitations_opt_in=True) for n in range(count)
    )
    sector.company_set.add(*companies)
    users = User.objects.bulk_create(
        User(
            email=f"restart-{n}@company.example",
            first_name="Restart",
            last_name=str(n),
            password=make_password(None),
            language="en" if n % 3 == 0 else "fr",
        )
        for n in range(count)
    )
    CompanyMembership.objects.bulk_create(
        CompanyMembership(user=user, company=company)
        for user, company in zip(users, companies, strict=True)
    )


def _campaign_arrivals(mission, sink, total: int, *, during=None) -> list[float]:
    """Start a call for ``mission`` and wait until its ``total`` emails are sent.

    ``during(elapsed, arrived)`` is called every 50 ms meanwhile. Returns the
    seconds from the start to each email's arrival at the server, in order.
    """
    before = sink.count
    started = time.time()
    campaign = _start_call(mission)

    def sent():
        return OutboundEmail.objects.filter(campaign=campaign, status=EmailStatus.SENT).count()

    while sent() < total:
        elapsed = time.time() - started
        if elapsed > 180:
            pytest.fail(f"Only {sent()} of {total} sent after 180 s")
        if during is not None:
            during(elapsed, sink.count - before)
        time.sleep(0.05)
    received = sink.snapshot()[before:]
    ids = OutboundEmail.objects.filter(campaign=campaign).values_list("pk", flat=True)
    assert Counter(message.portal_id for message in received) == Counter(map(str, ids))
    return sorted(message.at - started for message in received)


def test_worker_database_restarts_during_campaign_no_email_delayed_over_30_s(
    celery_worker, database_proxy, smtp_sink, sectors, record_property
):
    """Two workers send two calls of 2,000 emails each, the database reached through
    a relay: the first undisturbed, the second through four restarts of 0.5 s
    (connections cut, then refused): while the emails are written, then after 500,
    1,000 and 1,500 have arrived. No beat runs: nothing may wait for a sweep.

    The k-th email of the second call arrives at most 30 s after the k-th of the
    first, and none twice. ``-s`` prints the figures.
    """
    total = 2000
    _call_recipients(total, sectors["digital"])
    missions = [OpenMissionFactory(slug=f"restart-{n}") for n in range(2)]
    for mission in missions:
        mission.sectors.set([sectors["digital"]])
    workers = [celery_worker(database=database_proxy) for _ in range(2)]

    undisturbed = _campaign_arrivals(missions[0], smtp_sink, total)

    restarts = [0, 500, 1000, 1500]  # after this many emails arrived (0: while writing)
    restarted_at = []

    def restart_when_due(elapsed, arrived):
        if restarts and arrived >= restarts[0] and elapsed > 0.3:
            restarts.pop(0)
            restarted_at.append(round(elapsed, 1))
            database_proxy.restart(down_for=0.5)

    restarted = _campaign_arrivals(missions[1], smtp_sink, total, during=restart_when_due)

    delays = [late - early for early, late in zip(undisturbed, restarted, strict=True)]
    worst = max(delays)
    figures = {
        "undisturbed_last_s": round(undisturbed[-1], 1),
        "restarted_last_s": round(restarted[-1], 1),
        "restarts_at_s": restarted_at,
        "worst_delay_s": round(worst, 1),
        "longest_silence_s": round(max(b - a for a, b in itertools.pairwise(restarted)), 1),
    }
    for name, value in figures.items():
        record_property(name, value)
    print(f"\n{figures}")
    assert len(restarted_at) == 4
    assert worst <= 30
    for worker in workers:
        assert "raised unexpected" not in worker.log()
