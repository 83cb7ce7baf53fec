"""Delivery by real Celery workers through a real Redis, to a real SMTP server.

Each test runs its own redis-server and SMTP sink and starts ``celery worker``
processes on the test database; rows are committed (transactional tests) so that
the worker sees them. Time is moved by passing ``now`` to the beat service, never
slept: the tests only wait for the worker to do its work.
"""

import datetime
import re
import threading
import time
from collections import Counter

import pytest
from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.tests.factories import UserFactory
from notifications import services, tasks
from notifications.models import EmailStatus, OutboundEmail
from notifications.rendering import message_id
from notifications.tests.conftest import CONTEXT, KIND, wait_until

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def _write(count: int, prefix: str) -> list[int]:
    """``count`` committed rows, due now, not yet handed over. Their ids, in order."""
    rows = OutboundEmail.objects.bulk_create(
        OutboundEmail(
            recipient=f"{prefix}{n}@company.example",
            recipient_name=f"Contact {n}",
            language="fr",
            template_key=KIND,
            context={**CONTEXT, "recipient_name": f"Contact {n}"},
            idempotency_key=f"test:{prefix}:{n}",
        )
        for n in range(count)
    )
    return [row.pk for row in rows]


def _statuses() -> dict[str, int]:
    return dict(Counter(OutboundEmail.objects.values_list("status", flat=True)))


def _sent() -> int:
    return OutboundEmail.objects.filter(status=EmailStatus.SENT).count()


def _queue(to: str, key: str) -> OutboundEmail:
    return services.email_queue(
        to=to, language="fr", kind=KIND, context=CONTEXT, idempotency_key=key
    )


def test_worker_delivers_every_email_once(celery_worker, smtp_sink):
    ids = _write(200, "member")
    celery_worker()

    services.email_hand_over(ids)

    wait_until(lambda: _sent() == 200, timeout=60, what="200 emails sent")
    assert _statuses() == {EmailStatus.SENT: 200}
    assert smtp_sink.portal_ids() == Counter({str(pk): 1 for pk in ids})
    assert sorted(smtp_sink.recipients()) == sorted(
        f"member{n}@company.example" for n in range(200)
    )


def _send_what_the_dead_worker_left(total: int, broker) -> int:
    """Let the new worker take what Redis still holds, then do beat's job until all is sent.

    Beat hands the dead worker's rows over again once its lease and the requeue
    delay are over: the time is moved past them, not slept. Only when the worker
    is idle, as it would be by then. Returns how many times beat's job was done.
    """
    beyond_lease = datetime.timedelta(
        seconds=settings.OUTBOX_LEASE_SECONDS + settings.OUTBOX_REQUEUE_SECONDS + 1
    )
    deadline = time.monotonic() + 90
    last, unchanged, dispatches = -1, 0, 0
    while (sent := _sent()) < total:
        if time.monotonic() > deadline:
            pytest.fail(f"Only {sent} of {total} sent: {_statuses()}")
        unchanged = unchanged + 1 if sent == last else 0
        last = sent
        if unchanged >= 5 and broker.queue_length() == 0:
            services.email_dispatch_due(now=timezone.now() + beyond_lease)
            dispatches += 1
            unchanged = 0
        time.sleep(0.1)
    return dispatches


def test_worker_killed_mid_batch_every_email_sent_none_twice(
    celery_worker, celery_broker, smtp_sink, record_property
):
    total = 2000
    ids = _write(total, "kill")
    services.email_hand_over(ids)  # 20 tasks of 100 wait in Redis

    first = celery_worker()
    wait_until(lambda: smtp_sink.count >= 150, timeout=60, what="the first emails")
    first.kill()  # SIGKILL to the main process and its prefork child at once
    arrived_before_kill = smtp_sink.count
    assert arrived_before_kill < total
    in_doubt = OutboundEmail.objects.filter(status=EmailStatus.SENDING).count()
    assert in_doubt > 0  # the killed batch: it holds them until its lease ends

    celery_worker()
    dispatches = _send_what_the_dead_worker_left(total, celery_broker)

    received = smtp_sink.snapshot()
    duplicates = len(received) - total
    record_property("arrived_before_kill", arrived_before_kill)
    record_property("duplicates", duplicates)
    print(  # the figures of a run, seen with -s
        f"\nkilled after {arrived_before_kill}, {in_doubt} rows of its batch left, "
        f"{dispatches} dispatches, {duplicates} duplicates"
    )
    assert _statuses() == {EmailStatus.SENT: total}
    assert {message.portal_id for message in received} == {str(pk) for pk in ids}
    assert len({message.message_id for message in received}) == total
    # Only the email in the SMTP conversation at the instant of the kill may arrive
    # twice (one worker process killed), and then with its one Message-ID.
    assert 0 <= duplicates <= 1
    rows = OutboundEmail.objects.in_bulk(ids)
    for message in received:
        assert message.message_id == message_id(rows[int(message.portal_id)])


def test_worker_killed_with_email_in_doubt_sends_it_again_with_same_message_id(
    celery_worker, celery_broker, smtp_sink
):
    total = 300
    ids = _write(total, "doubt")
    services.email_hand_over(ids)
    # The server takes the 150th email in, and the worker dies before hearing "250".
    smtp_sink.hold_at(150)

    first = celery_worker()
    wait_until(smtp_sink.holding.is_set, timeout=60, what="the 150th email")
    first.kill()
    smtp_sink.release()
    held = smtp_sink.snapshot()[149]
    assert held.portal_id == str(ids[149])
    assert OutboundEmail.objects.get(pk=ids[149]).status == EmailStatus.SENDING

    celery_worker()
    _send_what_the_dead_worker_left(total, celery_broker)

    # Not lost: sent again, and the copy says it is the same email.
    received = smtp_sink.snapshot()
    assert _statuses() == {EmailStatus.SENT: total}
    assert smtp_sink.portal_ids() == Counter({str(pk): 2 if pk == ids[149] else 1 for pk in ids})
    copies = [message for message in received if message.portal_id == held.portal_id]
    assert [message.message_id for message in copies] == [held.message_id] * 2
    assert held.message_id == message_id(OutboundEmail.objects.get(pk=ids[149]))


def test_redis_outage_request_answers_quickly_email_sent_once_redis_is_back(
    celery_worker, celery_broker, smtp_sink
):
    celery_broker.stop()

    emails = []
    for n in range(2):  # two requests in a row, the second on the broken connection
        started = time.monotonic()
        with transaction.atomic():
            emails.append(_queue(f"outage{n}@company.example", f"test:outage:{n}"))
        elapsed = time.monotonic() - started
        assert elapsed < 1.0, f"queuing took {elapsed:.2f} s with Redis down"

    rows = OutboundEmail.objects.order_by("pk")
    assert [(row.status, row.enqueued_at) for row in rows] == [(EmailStatus.QUEUED, None)] * 2

    celery_broker.start()  # on the same port
    celery_worker()
    assert services.email_dispatch_due() == 2

    wait_until(lambda: _sent() == 2, timeout=30, what="the 2 emails sent")
    assert smtp_sink.portal_ids() == Counter({str(email.pk): 1 for email in emails})
    assert smtp_sink.recipients() == ["outage0@company.example", "outage1@company.example"]


def test_redis_outage_password_reset_page_answers_and_its_email_waits(
    client, celery_worker, celery_broker, smtp_sink
):
    person = UserFactory(email="ali.messoudi@transpare.example")
    celery_broker.stop()

    started = time.monotonic()
    response = client.post(reverse("password_reset"), {"email": person.email})
    elapsed = time.monotonic() - started

    assert response.status_code == 302
    assert response["Location"] == reverse("password_reset_done")
    assert elapsed < 1.0, f"the page took {elapsed:.2f} s with Redis down"
    email = OutboundEmail.objects.get()
    assert (email.status, email.enqueued_at) == (EmailStatus.QUEUED, None)

    celery_broker.start()
    celery_worker()
    assert services.email_dispatch_due() == 1

    wait_until(lambda: _sent() == 1, timeout=30, what="the reset email sent")
    assert smtp_sink.recipients() == [person.email]


def test_repeated_trigger_sent_once_by_worker(celery_worker, celery_broker, smtp_sink):
    worker = celery_worker()
    key = "decision:application:42:accepted"

    with transaction.atomic():
        first = _queue("ali.messoudi@transpare.example", key)
    with transaction.atomic():
        second = _queue("ali.messoudi@transpare.example", key)

    assert second.pk == first.pk
    wait_until(lambda: _sent() == 1, timeout=30, what="the email sent")

    # The same batch handed over again (a beat tick, a redelivered task): nothing more.
    services.email_hand_over([first.pk])
    wait_until(
        lambda: worker.log().count("notifications.send_emails[") >= 4,
        timeout=30,
        what="two tasks received and done",
    )
    assert worker.log().count("notifications.send_emails[") == 4  # received, succeeded
    assert celery_broker.queue_length() == 0
    assert smtp_sink.recipients() == ["ali.messoudi@transpare.example"]
    assert smtp_sink.portal_ids() == Counter({str(first.pk): 1})
    assert _statuses() == {EmailStatus.SENT: 1}


# Handing over to an idle worker --------------------------------------------------------


def _lock_row_for(pk: int, seconds: float) -> threading.Thread:
    """Lock one outbox row from another session for ``seconds``, in a thread.

    It stands for whatever keeps the hand-over's update of a batch busy for a moment
    (a large batch, a busy database): the update waits on this row, holding the
    others it has already marked. Returns once the lock is taken.
    """
    import psycopg2

    db = settings.DATABASES["default"]
    session = psycopg2.connect(
        dbname=db["NAME"], user=db["USER"], host=db["HOST"], port=db["PORT"] or 5432
    )
    cursor = session.cursor()
    cursor.execute("SELECT id FROM notifications_outboundemail WHERE id = %s FOR UPDATE", [pk])

    def hold():
        time.sleep(seconds)
        session.commit()
        session.close()

    thread = threading.Thread(target=hold)
    thread.start()
    return thread


def test_worker_idle_sends_every_row_handed_over_without_beat(celery_worker, smtp_sink):
    ids = _write(100, "idle")
    worker = celery_worker()
    # The hand-over's update reaches the last row of the batch after 2 s.
    locker = _lock_row_for(ids[-1], 2.0)

    services.email_hand_over(ids)
    locker.join()

    # No beat sweep: the idle worker alone sends what it was handed.
    wait_until(lambda: _sent() == 100, timeout=30, what="the 100 emails sent")
    assert _statuses() == {EmailStatus.SENT: 100}
    assert smtp_sink.portal_ids() == Counter({str(pk): 1 for pk in ids})
    assert worker.log().count("notifications.send_emails[") == 2  # one task, received and done


# A database that does not answer for a moment ----------------------------------------


FAILED_ON_DATABASE = re.compile(
    r"Task notifications\.(\w+)\[[-\w]+\] (?:raised unexpected|retry: Retry in \d+s): "
    r"OperationalError"
)


def _failed_on_database(worker) -> set[str]:
    """The names of the tasks that the worker says failed on the database."""
    return set(FAILED_ON_DATABASE.findall(worker.log()))


def test_worker_database_unreachable_every_task_retried_until_it_answers(
    celery_worker, database_proxy, smtp_sink
):
    handed = _write(5, "handed")  # a batch whose task is taken while the database is away
    _write(3, "left")  # rows that beat's task will find
    worker = celery_worker(database=database_proxy)
    database_proxy.cut()

    services.email_hand_over(handed)
    tasks.dispatch_due.delay()
    # Both tasks met the database away: not acknowledged and dropped, retried.
    wait_until(
        lambda: _failed_on_database(worker) == {"send_emails", "dispatch_due"},
        timeout=30,
        what="the two tasks to fail on the database",
    )
    database_proxy.restore()

    wait_until(lambda: _sent() == 8, timeout=30, what="the 8 emails sent")
    assert _statuses() == {EmailStatus.SENT: 8}
    assert sorted(smtp_sink.recipients()) == sorted(
        [f"handed{n}@company.example" for n in range(5)]
        + [f"left{n}@company.example" for n in range(3)]
    )
    assert smtp_sink.portal_ids() == Counter(
        {str(pk): 1 for pk in OutboundEmail.objects.values_list("pk", flat=True)}
    )
    assert worker.log().count("raised unexpected") == 0


# Leases: short, renewed, never outlived -----------------------------------------------

# A worker's lease as short as its EMAIL_TIMEOUT of 1 s allows.
SHORT_LEASE = {"OUTBOX_LEASE_SECONDS": "12", "EMAIL_TIMEOUT": "1"}


def _leases_held() -> list[datetime.datetime]:
    """The end of the lease of each row being sent, and the database's "now" first."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT now(), claimed_until FROM notifications_outboundemail WHERE status = %s",
            [EmailStatus.SENDING],
        )
        rows = cursor.fetchall()
    return rows


def test_worker_batch_longer_than_its_lease_renews_it_sends_each_email_once(
    celery_worker, smtp_sink
):
    ids = _write(60, "long")
    smtp_sink.slow_down(0.3)  # 60 emails: about 18 s, beyond the 12 s lease
    celery_worker(**SHORT_LEASE)

    services.email_hand_over(ids)
    outside_lease = []
    started = time.monotonic()
    while _sent() < 60 and time.monotonic() - started < 60:
        # Beat, every half second: it would take back rows whose lease is over.
        services.email_dispatch_due()
        for now, until in _leases_held():
            if not now < until <= now + datetime.timedelta(seconds=12):
                outside_lease.append((now, until))
        time.sleep(0.5)

    assert _statuses() == {EmailStatus.SENT: 60}
    assert smtp_sink.portal_ids() == Counter({str(pk): 1 for pk in ids})
    assert outside_lease == []
    assert time.monotonic() - started > 12


def test_worker_killed_its_rows_back_within_the_lease(celery_worker, smtp_sink, record_property):
    ids = _write(100, "dead")
    smtp_sink.slow_down(0.02)
    services.email_hand_over(ids)
    first = celery_worker(**SHORT_LEASE)
    wait_until(lambda: smtp_sink.count >= 30, timeout=60, what="the first emails")
    first.kill()
    killed_at = time.monotonic()
    second = celery_worker(**SHORT_LEASE)

    # Beat's job, every half second, as soon as the killed batch's lease is over.
    while _sent() < 100 and time.monotonic() - killed_at < 60:
        services.email_dispatch_due()
        time.sleep(0.5)
    back_after = time.monotonic() - killed_at
    record_property("all_sent_after_kill_s", round(back_after, 1))
    print(f"\nkilled with a 12 s lease: all sent {back_after:.1f} s later")  # seen with -s

    assert _statuses() == {EmailStatus.SENT: 100}
    assert set(smtp_sink.portal_ids()) == {str(pk) for pk in ids}
    assert sum(smtp_sink.portal_ids().values()) <= 101  # the one email in doubt
    assert back_after < 12 + 6  # the lease, then beat and the second worker
    assert "notifications.send_emails[" in second.log()


# A database restart while a batch sends ------------------------------------------------


def test_worker_database_cut_after_server_accepted_an_email_each_sent_once(
    celery_worker, database_proxy, smtp_sink
):
    ids = _write(100, "blip")
    # The server takes the 50th email in; before its "250" reaches the worker,
    # the database goes away: the worker cannot record the email sent at once.
    smtp_sink.hold_at(50)
    celery_worker(database=database_proxy)

    services.email_hand_over(ids)
    wait_until(smtp_sink.holding.is_set, timeout=30, what="the 50th email")
    database_proxy.cut()
    smtp_sink.release()
    time.sleep(0.5)
    database_proxy.restore()

    wait_until(lambda: _sent() == 100, timeout=30, what="the 100 emails sent")
    # Beat long after every lease: nothing is left to send again.
    beyond_lease = datetime.timedelta(
        seconds=settings.OUTBOX_LEASE_SECONDS + settings.OUTBOX_REQUEUE_SECONDS + 1
    )
    assert services.email_dispatch_due(now=timezone.now() + beyond_lease) == 0
    assert _statuses() == {EmailStatus.SENT: 100}
    assert smtp_sink.portal_ids() == Counter({str(pk): 1 for pk in ids})
