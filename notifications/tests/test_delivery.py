"""The outbox services in the test process: after commit, once, retried, failed, on time.

Nothing is published to a broker here: ``handed_over`` records the batches the
outbox hands over, and the test delivers them with ``email_deliver``. Time is
moved by passing ``now``, never slept. SMTP replies come from a real SMTP server
(``smtp_sink``); the other tests use Django's in-memory backend.
"""

import datetime
import socket
import threading
import time
import uuid
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from notifications import services
from notifications.models import EmailStatus, OutboundEmail
from notifications.rendering import message_id
from notifications.tests.conftest import CONTEXT, KIND, free_port

pytestmark = pytest.mark.django_db

UTC = datetime.UTC
TORONTO = ZoneInfo("America/Toronto")
# "Now" for the services: a day ahead, so that every row written by the test is due.
NOW = (timezone.now() + datetime.timedelta(days=1)).replace(microsecond=0)
NOTHING = {"sent": 0, "retry": 0, "failed": 0}


def _seconds(count: int) -> datetime.timedelta:
    return datetime.timedelta(seconds=count)


def _queue(to="ali.messoudi@transpare.example", *, key=None, **fields) -> OutboundEmail:
    return services.email_queue(
        to=to,
        language="fr",
        kind=KIND,
        context=CONTEXT,
        idempotency_key=key or f"test:{to}",
        **fields,
    )


def _row(email: OutboundEmail) -> OutboundEmail:
    return OutboundEmail.objects.get(pk=email.pk)


# Queued in the caller's transaction, handed over after commit -----------------------


def test_email_queue_in_transaction_handed_over_after_commit_only(
    handed_over, django_capture_on_commit_callbacks
):
    before = timezone.now()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        email = _queue()
        assert handed_over == []
        assert _row(email).enqueued_at is None

    assert len(callbacks) == 1
    assert handed_over == [[email.pk]]
    row = _row(email)
    assert row.status == EmailStatus.QUEUED
    assert before <= row.enqueued_at <= timezone.now()


def test_email_queue_rolled_back_leaves_no_row_and_hands_over_nothing(
    handed_over, django_capture_on_commit_callbacks
):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        _queue()
        raise RuntimeError("the change that caused the email failed")

    assert callbacks == []
    assert handed_over == []
    assert OutboundEmail.objects.count() == 0


def test_email_queue_context_incomplete_refused(handed_over):
    with pytest.raises(ValueError, match="lacks context"):
        services.email_queue(
            to="ali.messoudi@transpare.example",
            language="fr",
            kind=KIND,
            context={"recipient_name": "Ali"},
            idempotency_key="test:incomplete",
        )

    assert OutboundEmail.objects.count() == 0


def test_email_queue_broker_down_row_left_queued_for_beat(
    handed_over, django_capture_on_commit_callbacks
):
    handed_over.broker_down = True
    with django_capture_on_commit_callbacks(execute=True):
        email = _queue()  # must not raise: the request that queued it succeeds

    row = _row(email)
    assert (row.status, row.enqueued_at) == (EmailStatus.QUEUED, None)
    assert handed_over == []

    handed_over.broker_down = False
    assert services.email_dispatch_due(now=NOW) == 1
    assert handed_over == [[email.pk]]


@pytest.mark.django_db(transaction=True)
def test_email_hand_over_database_away_task_published_all_the_same(handed_over):
    """The database gone just after the commit: the task goes anyway (its worker
    waits for the database), and beat may hand the row over once more."""
    email = _queue()
    OutboundEmail.objects.filter(pk=email.pk).update(enqueued_at=None)  # committed, not yet
    handed_over.clear()
    port = connection.settings_dict["PORT"]
    connection.close()
    connection.settings_dict["PORT"] = free_port()  # nothing listens there
    try:
        services.email_hand_over([email.pk])  # must not raise
    finally:
        connection.close()
        connection.settings_dict["PORT"] = port

    assert handed_over == [[email.pk]]
    row = _row(email)
    assert (row.status, row.enqueued_at) == (EmailStatus.QUEUED, None)


# Once, whatever repeats ---------------------------------------------------------------


def test_email_queue_same_key_twice_one_row_one_send(
    handed_over, mailoutbox, django_capture_on_commit_callbacks
):
    key = "decision:application:42:accepted"
    with django_capture_on_commit_callbacks(execute=True):
        first = _queue("ali.messoudi@transpare.example", key=key)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        second = _queue("someone.else@transpare.example", key=key)

    assert second.pk == first.pk
    assert second.recipient == "ali.messoudi@transpare.example"
    assert callbacks == []
    assert OutboundEmail.objects.count() == 1
    assert handed_over == [[first.pk]]

    # The same batch delivered twice (a task redelivered by the broker): one email.
    assert services.email_deliver(ids=[first.pk], now=NOW) == {**NOTHING, "sent": 1}
    assert services.email_deliver(ids=[first.pk], now=NOW) == NOTHING
    assert [message.to for message in mailoutbox] == [["ali.messoudi@transpare.example"]]
    assert mailoutbox[0].extra_headers["Message-ID"] == message_id(first)
    assert mailoutbox[0].extra_headers["X-Portal-Email"] == str(first.pk)
    row = _row(first)
    assert (row.status, row.attempts, row.sent_at) == (EmailStatus.SENT, 1, NOW)


def test_email_dispatch_due_handed_over_recently_not_handed_again(handed_over):
    recent = _queue("recent@transpare.example")
    forgotten = _queue("forgotten@transpare.example")
    requeue = _seconds(settings.OUTBOX_REQUEUE_SECONDS)
    OutboundEmail.objects.filter(pk=recent.pk).update(enqueued_at=NOW - requeue)
    OutboundEmail.objects.filter(pk=forgotten.pk).update(enqueued_at=NOW - requeue - _seconds(1))

    assert services.email_dispatch_due(now=NOW) == 1
    assert handed_over == [[forgotten.pk]]


# SMTP refusals: permanent and transient ------------------------------------------------


def test_email_deliver_address_refused_failed_with_server_error_others_sent(smtp_backend):
    smtp_backend.refuse("nobody@transpare.example")
    emails = [
        _queue("ali.messoudi@transpare.example"),
        _queue("nobody@transpare.example"),
        _queue("zoe.martin@transpare.example"),
    ]

    outcomes = services.email_deliver(ids=[email.pk for email in emails], now=NOW)

    assert outcomes == {"sent": 2, "retry": 0, "failed": 1}
    rows = {
        row.recipient: (row.status, row.attempts, row.last_error)
        for row in OutboundEmail.objects.all()
    }
    assert rows == {
        "ali.messoudi@transpare.example": (EmailStatus.SENT, 1, ""),
        "nobody@transpare.example": (
            EmailStatus.FAILED,
            1,
            "nobody@transpare.example: 550 5.1.1 No such user",
        ),
        "zoe.martin@transpare.example": (EmailStatus.SENT, 1, ""),
    }
    assert smtp_backend.recipients() == [
        "ali.messoudi@transpare.example",
        "zoe.martin@transpare.example",
    ]


@pytest.mark.parametrize(
    ("stage", "error"),
    [
        # Greylisting answers at RCPT TO; smtplib reports it as a refused recipient.
        ("rcpt", "ali.messoudi@transpare.example: 451 4.3.0 Try again later"),
        ("data", "451 4.3.0 Try again later"),
    ],
)
def test_email_deliver_deferred_back_in_queue_retry_seconds_later(smtp_backend, stage, error):
    smtp_backend.defer_next(1, at=stage)
    email = _queue("ali.messoudi@transpare.example")
    other = _queue("zoe.martin@transpare.example")

    outcomes = services.email_deliver(ids=[email.pk, other.pk], now=NOW)

    assert outcomes == {"sent": 1, "retry": 1, "failed": 0}
    row = _row(email)
    assert row.status == EmailStatus.QUEUED
    assert row.attempts == 1
    assert row.scheduled_at == NOW + _seconds(settings.OUTBOX_RETRY_SECONDS)
    assert row.last_error == error
    assert (row.claimed_until, row.enqueued_at) == (None, None)
    assert _row(other).status == EmailStatus.SENT
    assert smtp_backend.recipients() == ["zoe.martin@transpare.example"]

    # Not before its new time; then it goes, and the error is forgotten.
    retry_at = row.scheduled_at
    assert services.email_deliver(ids=[email.pk], now=retry_at - _seconds(1)) == NOTHING
    assert services.email_deliver(ids=[email.pk], now=retry_at) == {**NOTHING, "sent": 1}
    row = _row(email)
    assert (row.status, row.attempts, row.last_error, row.sent_at) == (
        EmailStatus.SENT,
        2,
        "",
        retry_at,
    )
    assert smtp_backend.recipients() == [
        "zoe.martin@transpare.example",
        "ali.messoudi@transpare.example",
    ]


def test_email_deliver_deferred_every_attempt_failed_after_max_attempts(smtp_backend):
    attempts = settings.OUTBOX_MAX_ATTEMPTS
    smtp_backend.defer_next(attempts, at="rcpt")
    email = _queue()
    moment = NOW
    waits = []

    for _attempt in range(attempts - 1):
        assert services.email_deliver(ids=[email.pk], now=moment) == {**NOTHING, "retry": 1}
        row = _row(email)
        waits.append((row.scheduled_at - moment).total_seconds())
        moment = row.scheduled_at
    assert services.email_deliver(ids=[email.pk], now=moment) == {**NOTHING, "failed": 1}

    first = settings.OUTBOX_RETRY_SECONDS
    assert waits == [first * 2**n for n in range(attempts - 1)]
    row = _row(email)
    assert (row.status, row.attempts, row.last_error) == (
        EmailStatus.FAILED,
        attempts,
        "ali.messoudi@transpare.example: 451 4.3.0 Try again later",
    )
    assert smtp_backend.count == 0


def test_email_deliver_smtp_server_down_back_in_queue(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = free_port()  # nothing listens there
    emails = [_queue("ali.messoudi@transpare.example"), _queue("zoe.martin@transpare.example")]

    outcomes = services.email_deliver(ids=[email.pk for email in emails], now=NOW)

    assert outcomes == {"sent": 0, "retry": 2, "failed": 0}
    for email in emails:
        row = _row(email)
        assert (row.status, row.attempts, row.scheduled_at, row.last_error) == (
            EmailStatus.QUEUED,
            1,
            NOW + _seconds(settings.OUTBOX_RETRY_SECONDS),
            "ConnectionRefusedError: [Errno 111] Connection refused",
        )


def test_email_resend_failed_queued_again_and_sent(
    smtp_backend, handed_over, django_capture_on_commit_callbacks
):
    smtp_backend.refuse("nobody@transpare.example")
    email = _queue("nobody@transpare.example")
    assert services.email_deliver(ids=[email.pk], now=NOW) == {**NOTHING, "failed": 1}
    smtp_backend.refused.clear()  # the mailbox has been created since
    handed_over.clear()

    with django_capture_on_commit_callbacks(execute=True):
        resent = services.email_resend(email=_row(email))
        assert handed_over == []

    assert handed_over == [[email.pk]]
    assert (resent.status, resent.attempts) == (EmailStatus.QUEUED, 0)
    assert services.email_deliver(ids=[email.pk], now=NOW) == {**NOTHING, "sent": 1}
    assert _row(email).status == EmailStatus.SENT
    assert smtp_backend.recipients() == ["nobody@transpare.example"]


@pytest.mark.parametrize("status", [EmailStatus.QUEUED, EmailStatus.SENDING])
def test_email_resend_not_failed_refused(handed_over, status):
    email = _queue()
    OutboundEmail.objects.filter(pk=email.pk).update(status=status)

    with pytest.raises(ValueError, match="Only a failed email"):
        services.email_resend(email=_row(email))

    assert _row(email).status == status


# A worker that died while sending --------------------------------------------------------


def test_email_dispatch_due_stale_sending_requeued_and_sent_with_same_message_id(
    handed_over, mailoutbox
):
    stale = _queue("stale@transpare.example")
    live = _queue("live@transpare.example")
    handed_over.clear()
    OutboundEmail.objects.filter(pk=stale.pk).update(
        status=EmailStatus.SENDING, attempts=1, claimed_until=NOW - _seconds(1)
    )
    OutboundEmail.objects.filter(pk=live.pk).update(
        status=EmailStatus.SENDING, attempts=1, claimed_until=NOW
    )

    assert services.email_dispatch_due(now=NOW) == 1

    assert handed_over == [[stale.pk]]
    assert _row(stale).status == EmailStatus.QUEUED
    assert _row(live).status == EmailStatus.SENDING
    assert services.email_deliver(ids=[stale.pk, live.pk], now=NOW) == {**NOTHING, "sent": 1}
    assert [message.to for message in mailoutbox] == [["stale@transpare.example"]]
    assert mailoutbox[0].extra_headers["Message-ID"] == message_id(stale)
    assert _row(stale).attempts == 2


# On time ----------------------------------------------------------------------------------


def test_email_scheduled_later_neither_sent_nor_dispatched_before_its_time(
    handed_over, mailoutbox, django_capture_on_commit_callbacks
):
    due = NOW + datetime.timedelta(hours=1)
    with django_capture_on_commit_callbacks(execute=True):
        email = _queue(scheduled_at=due)
    assert handed_over == []  # not due: beat will find it

    before = due - _seconds(1)
    assert services.email_deliver(ids=[email.pk], now=before) == NOTHING
    assert services.email_dispatch_due(now=before) == 0
    assert handed_over == []
    row = _row(email)
    assert (row.status, row.attempts, row.claimed_until) == (EmailStatus.QUEUED, 0, None)

    assert services.email_dispatch_due(now=due) == 1
    assert handed_over == [[email.pk]]
    assert services.email_deliver(ids=[email.pk], now=due) == {**NOTHING, "sent": 1}
    assert len(mailoutbox) == 1


@pytest.mark.parametrize(
    ("month", "utc_hour"),
    [(7, 13), (12, 14)],  # 9:00 in Toronto: EDT (UTC-4) in July, EST (UTC-5) in December
    ids=["july-edt", "december-est"],
)
def test_reminder_day_before_meeting_dispatched_at_nine_in_destination_zone(
    handed_over, mailoutbox, django_capture_on_commit_callbacks, month, utc_hour
):
    year = timezone.now().year + 1
    meeting_starts = datetime.datetime(year, month, 8, 9, 30, tzinfo=TORONTO)
    day_before = meeting_starts.date() - datetime.timedelta(days=1)
    due = datetime.datetime.combine(day_before, datetime.time(9, 0), tzinfo=TORONTO)
    with django_capture_on_commit_callbacks(execute=True):
        email = _queue(key=f"meeting:42:tomorrow:{month}", scheduled_at=due)
    nine_in_toronto = datetime.datetime(year, month, 7, utc_hour, 0, tzinfo=UTC)
    assert _row(email).scheduled_at == nine_in_toronto

    a_minute_before = nine_in_toronto - datetime.timedelta(minutes=1)
    assert services.email_dispatch_due(now=a_minute_before) == 0
    assert services.email_deliver(ids=[email.pk], now=a_minute_before) == NOTHING
    assert handed_over == []

    assert services.email_dispatch_due(now=nine_in_toronto) == 1
    assert handed_over == [[email.pk]]
    assert services.email_deliver(ids=[email.pk], now=nine_in_toronto) == {
        **NOTHING,
        "sent": 1,
    }
    row = _row(email)
    assert (row.status, row.sent_at) == (EmailStatus.SENT, nine_in_toronto)
    assert [message.to for message in mailoutbox] == [["ali.messoudi@transpare.example"]]


def test_email_deliver_lease_too_short_for_an_email_gives_the_batch_back_at_once(
    settings, smtp_backend, handed_over
):
    """A batch that could not send an email before its lease ends sends none and
    puts them all back in the queue, free for any worker now, no attempt counted."""
    settings.OUTBOX_LEASE_SECONDS = 2 * settings.EMAIL_TIMEOUT + 4
    emails = [_queue(f"late{n}@transpare.example") for n in range(3)]
    handed_over.clear()

    outcomes = services.email_deliver(ids=[email.pk for email in emails])

    assert outcomes == NOTHING
    assert smtp_backend.count == 0
    rows = [_row(email) for email in emails]
    assert [(row.status, row.attempts, row.claimed_until, row.lease_token) for row in rows] == [
        (EmailStatus.QUEUED, 0, None, None)
    ] * 3
    assert handed_over == [[email.pk for email in emails]]


def test_email_deliver_smtp_server_frozen_each_email_waits_one_timeout(settings, handed_over):
    """A server that takes the connection and never answers costs each email one
    EMAIL_TIMEOUT, no more (no QUIT to a silent server, no second connection)."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_TIMEOUT = 1
    frozen = socket.create_server(("127.0.0.1", 0))  # listens, never answers
    settings.EMAIL_HOST, settings.EMAIL_PORT = frozen.getsockname()
    emails = [_queue(f"frozen{n}@transpare.example") for n in range(3)]

    started = time.monotonic()
    with frozen:
        outcomes = services.email_deliver(ids=[email.pk for email in emails], now=NOW)
    elapsed = time.monotonic() - started

    assert outcomes == {"sent": 0, "retry": 3, "failed": 0}
    assert 3.0 <= elapsed < 4.5
    for email in emails:
        row = _row(email)
        assert (row.status, row.attempts, row.last_error, row.lease_token) == (
            EmailStatus.QUEUED,
            1,
            "SMTPServerDisconnected: Connection unexpectedly closed: timed out",
            None,
        )


@pytest.mark.django_db(transaction=True)
def test_email_deliver_lease_lost_mid_batch_stops_without_sending_the_rest(
    settings, smtp_backend, handed_over
):
    """Another worker that took the rows (after beat found the lease over) keeps them."""
    settings.OUTBOX_LEASE_RENEW_SECONDS = 0  # renewed before each email
    emails = [_queue(f"lost{n}@transpare.example") for n in range(3)]
    ids = [email.pk for email in emails]
    smtp_backend.hold_at(1)
    outcomes = {}

    def deliver():
        try:
            outcomes.update(services.email_deliver(ids=ids))
        finally:
            connection.close()

    batch = threading.Thread(target=deliver)
    batch.start()
    assert smtp_backend.holding.wait(timeout=10)
    other = uuid.uuid4()
    other_until = timezone.now() + _seconds(60)
    OutboundEmail.objects.filter(pk__in=ids[1:]).update(
        lease_token=other, claimed_until=other_until
    )
    smtp_backend.release()
    batch.join(timeout=10)

    assert outcomes == {**NOTHING, "sent": 1}
    assert smtp_backend.recipients() == ["lost0@transpare.example"]
    assert _row(emails[0]).status == EmailStatus.SENT
    for email in emails[1:]:
        row = _row(email)
        assert (row.status, row.lease_token, row.claimed_until, row.attempts) == (
            EmailStatus.SENDING,
            other,
            other_until,
            1,
        )
