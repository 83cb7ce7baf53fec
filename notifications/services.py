"""The outbox: the only way the portal sends email.

``email_queue`` writes a row in the caller's transaction; after commit it is
handed to a worker (marked handed over, then published, so that a worker taking
the task at once finds the row free). ``email_dispatch_due`` (Celery beat) hands
over what is due or was left behind: reminders whose time has come, rows queued
while the broker was down, rows of a worker that died (once their lease is over).

A batch leases its rows under a token of its own before it sends them and renews
the lease as it goes, so two workers never send a row both and a dead worker's
rows come back within OUTBOX_LEASE_SECONDS; it stops, and gives back what it has
not sent, before its lease can end. A transient SMTP error puts a row back in the
queue with a later due time, a permanent one marks it failed with the error.

A database that goes away for a moment delays emails; it neither loses nor repeats
them: the tasks retry, and "sent" is written for an email the server accepted as
soon as the database answers again. An email may arrive twice (with one
Message-ID) only if its worker dies during its SMTP conversation, or if the
database stays away longer than a lease and beat gives the row to another worker
before that "sent" is written.
"""

import contextlib
import datetime
import logging
import math
import smtplib
import time
import uuid
from collections.abc import Iterable

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.mail import get_connection
from django.db import DatabaseError, InterfaceError, OperationalError, transaction
from django.db import connection as db_connection
from django.db.models import F, Q
from django.utils import timezone

from notifications.context import TYPED, check_keys
from notifications.kinds import kind_of
from notifications.models import EmailStatus, OutboundEmail
from notifications.rendering import render_email

logger = logging.getLogger(__name__)

# A database that does not answer for a moment (a restart, a fail-over): worth
# trying again, unlike an error in the query or the data.
DATABASE_ERRORS = (OperationalError, InterfaceError)


def _setting(name: str) -> int:
    return getattr(settings, name)


def email_queue(
    *,
    to: str,
    language: str,
    kind: str,
    context: dict,
    idempotency_key: str,
    name: str = "",
    related=None,
    topic=None,
    mailing=None,
    scheduled_at: datetime.datetime | None = None,
) -> OutboundEmail:
    """Queue one email, once.

    Call it inside the transaction of the change that causes the email: the row
    exists if and only if the change is committed. A second call with the same
    idempotency key returns the first row and queues nothing. The email is handed
    to a worker after commit if it is due, otherwise when its time comes.

    ``context`` holds values, typed (datetimes, dates, ``Translated`` texts...: see
    ``notifications/context.py``), never text translated for the recipient: the email
    is put in their language when it is rendered. A context that lacks a key its kind
    requires, or gives one with another type than the kind's sample, is refused.

    ``related`` is the object the email is about (what ``email_withdraw`` finds it
    by), ``topic`` what staff find it under in the outbox (its mission), ``mailing``
    the mass mailing that wrote it; any model of any app.
    """
    built = email_build(
        to=to,
        language=language,
        kind=kind,
        context=context,
        idempotency_key=idempotency_key,
        name=name,
        related=related,
        topic=topic,
        mailing=mailing,
        scheduled_at=scheduled_at,
    )
    email, created = OutboundEmail.objects.get_or_create(
        idempotency_key=idempotency_key,
        defaults={
            field.attname: getattr(built, field.attname)
            for field in OutboundEmail._meta.concrete_fields
            if field.attname in _BUILT_FIELDS
        },
    )
    if created and email.scheduled_at <= timezone.now():
        transaction.on_commit(lambda: email_hand_over([email.pk]))
    return email


# What email_build sets; every other field starts at its default.
_BUILT_FIELDS = {
    "recipient",
    "recipient_name",
    "language",
    "template_key",
    "context",
    "context_version",
    "related_type_id",
    "related_id",
    "topic_type_id",
    "topic_id",
    "mailing_type_id",
    "mailing_id",
    "scheduled_at",
}


def email_build(
    *,
    to: str,
    language: str,
    kind: str,
    context: dict,
    idempotency_key: str,
    name: str = "",
    related=None,
    topic=None,
    mailing=None,
    scheduled_at: datetime.datetime | None = None,
    context_version: int = TYPED,
) -> OutboundEmail:
    """The unsaved row ``email_queue`` would write, checked as it checks it: to preview
    an email exactly as it will be sent, or to queue many with ``email_queue_many``.

    ``context_version`` is ``LEGACY`` only for a context recorded before contexts were
    typed (a campaign started then): its values' types are not checked.
    """
    problems = kind_of(kind).problems(context, typed=context_version == TYPED)
    if problems:
        raise ValueError(f"Email {kind!r} {'; '.join(problems)}.")
    check_keys(context)
    return OutboundEmail(
        recipient=to,
        recipient_name=name,
        language=language,
        template_key=kind,
        context=context,
        context_version=context_version,
        idempotency_key=idempotency_key,
        scheduled_at=scheduled_at or timezone.now(),
        **_reference("related", related),
        **_reference("topic", topic),
        **_reference("mailing", mailing),
    )


def _reference(name: str, obj) -> dict:
    """The two fields of a generic reference (``related``, ``topic``, ``mailing``)."""
    if obj is None:
        return {f"{name}_type": None, f"{name}_id": None}
    return {f"{name}_type": ContentType.objects.get_for_model(obj), f"{name}_id": obj.pk}


def email_queue_many(emails: list[OutboundEmail]) -> list[OutboundEmail]:
    """Queue emails built by ``email_build``, thousands at a time, each once.

    They are written in one transaction; an idempotency key already taken (by an
    earlier run, or by another writer at the same instant) is skipped by the database's
    unique index, whatever each writer saw before. Returns the rows that hold the keys
    now (this call's, or the earlier ones), with their id, status and mailing. The
    queued rows never handed to a worker are handed over after commit (at once when
    called outside a transaction), if they are due.
    """
    now = timezone.now()
    with transaction.atomic():
        OutboundEmail.objects.bulk_create(emails, ignore_conflicts=True, batch_size=1000)
        rows = list(
            OutboundEmail.objects.filter(
                idempotency_key__in=[email.idempotency_key for email in emails]
            ).only("status", "enqueued_at", "scheduled_at", "mailing_type", "mailing_id")
        )
    ids = [
        row.pk
        for row in rows
        if row.status == EmailStatus.QUEUED
        and row.enqueued_at is None
        and row.scheduled_at <= now
    ]
    transaction.on_commit(lambda: email_hand_over(ids))
    return rows


def email_queue_for_user(
    *, user, kind: str, context: dict, idempotency_key: str, **fields
) -> OutboundEmail:
    """``email_queue`` to a portal user: their address, name and language, and their
    name as ``recipient_name`` in the context. Same guarantees."""
    name = user.get_full_name()
    return email_queue(
        to=user.email,
        name=name,
        language=user.language,
        kind=kind,
        context={"recipient_name": name, **context},
        idempotency_key=idempotency_key,
        **fields,
    )


def email_hand_over(ids: list[int]) -> None:
    """Give the rows to the broker in batches; if it is down, leave them to beat.

    Call it outside a transaction (after commit). Each batch is marked handed over
    and the mark committed *before* its task is published: a worker that takes the
    task at once finds its rows free, never locked by this update (it skips locked
    rows), so nothing handed to an idle worker waits for beat. If the broker refuses
    the task, the mark is taken back and beat hands the batch over at its next
    tick; the batches after it are left to beat as well. If the database cannot
    take the mark, the task is published all the same: its worker waits for the
    database, and beat may hand the rows over once more (they are sent once).

    Never raises: an outage must not fail the request that queued the email.
    """
    from notifications.tasks import send_emails

    size = _setting("OUTBOX_BATCH_SIZE")
    for start in range(0, len(ids), size):
        batch = ids[start : start + size]
        marked_at = timezone.now()
        try:
            OutboundEmail.objects.filter(pk__in=batch, status=EmailStatus.QUEUED).update(
                enqueued_at=marked_at
            )
        except DATABASE_ERRORS as error:
            logger.warning(
                "%d emails handed over unmarked, the database is away: %s", len(batch), error
            )
            _reconnect()
        try:
            send_emails.apply_async(args=[batch], retry=False)
        except Exception as error:  # the broker, whatever its client raises
            logger.warning("Broker unavailable, %d emails left to beat: %s", len(batch), error)
            with contextlib.suppress(*DATABASE_ERRORS):
                OutboundEmail.objects.filter(pk__in=batch, enqueued_at=marked_at).update(
                    enqueued_at=None
                )
            return


def email_deliver(*, ids: Iterable[int], now: datetime.datetime | None = None) -> dict:
    """Send the given rows that are queued, due and not held by another batch.

    Returns the count of each outcome. One SMTP connection serves the batch.

    The batch takes its rows under a lease of its own (a token and an end): they say
    "sending" and nobody else takes them before the lease ends. It renews the lease
    as it goes (every OUTBOX_LEASE_RENEW_SECONDS), so the lease can be short: the
    rows of a worker that died are back in the queue within OUTBOX_LEASE_SECONDS.
    An email is begun only while the lease leaves room for its SMTP conversation
    (``_Lease.room``); when the room runs out (the database would not let the lease
    be renewed), the batch stops before its lease ends and gives what it has not
    sent back to the queue, free for any worker at once. Rows that a renewal finds
    taken by another batch (after beat found their lease over) are left to it.

    Once the server has accepted an email, "sent" is written even if the database
    is away for a while (tried again until it answers): a row left "sending" would
    be sent again after its lease. Any other database error stops the batch, gives
    its unsent rows back and propagates (the task retries). So only the email in
    the SMTP conversation when a worker dies may arrive twice, with one Message-ID
    (but see the module's note on a database away for longer than a lease).
    """
    # Moved time in tests; in production each outcome is dated when it happens.
    clock = (lambda: now) if now else timezone.now
    lease = _Lease(clock)
    outcomes = {"sent": 0, "retry": 0, "failed": 0}
    try:
        pending = lease.claim(list(ids))
        if pending:
            _send_batch(pending, lease, outcomes)
    except DATABASE_ERRORS:
        # Briefly: the task's retry waits for the database without holding the worker.
        try:
            lease.give_back(patience=GIVE_BACK_PATIENCE_SECONDS)
        except DATABASE_ERRORS:
            logger.warning("Batch not given back: its rows wait for their lease to end")
        raise
    return outcomes


# Written after the server accepted an email, "sent" is tried again for this long
# while the database does not answer: until it is written, the row may be sent again.
SENT_PATIENCE_SECONDS = 600
# A batch stopped by a database error tries this long to give its rows back.
GIVE_BACK_PATIENCE_SECONDS = 5


class _Lease:
    """A batch's hold on its rows: a token of its own and an end, renewed as it goes."""

    def __init__(self, clock):
        self.clock = clock
        self.token = uuid.uuid4()
        self.length = datetime.timedelta(seconds=_setting("OUTBOX_LEASE_SECONDS"))
        self.renew_every = datetime.timedelta(seconds=_setting("OUTBOX_LEASE_RENEW_SECONDS"))
        # The longest one email may take: connecting, then one exchange, each wait
        # bounded by EMAIL_TIMEOUT (a silent server costs one), and a margin.
        self.room = datetime.timedelta(seconds=2 * settings.EMAIL_TIMEOUT + 5)
        self.renewed_at = clock()
        self.ends_at = self.renewed_at + self.length
        # The email whose SMTP conversation has begun and whose outcome is not
        # written yet: the server may have it, so it is never given back.
        self.in_doubt: int | None = None

    def held_rows(self):
        """The rows this batch holds."""
        return OutboundEmail.objects.filter(lease_token=self.token, status=EmailStatus.SENDING)

    def claim(self, ids: list[int]) -> list[OutboundEmail]:
        """Take the rows that are queued, due and free; in their order."""
        now = self.renewed_at
        with transaction.atomic():
            rows = list(
                OutboundEmail.objects.select_for_update(skip_locked=True)
                .filter(pk__in=ids, status=EmailStatus.QUEUED, scheduled_at__lte=now)
                .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))
                .order_by("pk")
            )
            OutboundEmail.objects.filter(pk__in=[row.pk for row in rows]).update(
                status=EmailStatus.SENDING,
                lease_token=self.token,
                claimed_until=self.ends_at,
                attempts=F("attempts") + 1,
            )
        for row in rows:
            row.status, row.lease_token, row.claimed_until = (
                EmailStatus.SENDING,
                self.token,
                self.ends_at,
            )
            row.attempts += 1
        return rows

    def keep(self, pending: list[OutboundEmail]) -> list[OutboundEmail]:
        """The pending rows still this batch's, the lease renewed when it is time."""
        now = self.clock()
        if not pending or now - self.renewed_at < self.renew_every:
            return pending
        try:
            with transaction.atomic():
                held = set(
                    self.held_rows()
                    .filter(pk__in=[row.pk for row in pending])
                    .select_for_update()
                    .values_list("pk", flat=True)
                )
                OutboundEmail.objects.filter(pk__in=held).update(claimed_until=now + self.length)
        except DATABASE_ERRORS as error:
            # Not renewed: the batch goes on while the lease leaves room.
            logger.warning("Lease not renewed, the database did not answer: %s", error)
            _reconnect()
            return pending
        self.renewed_at, self.ends_at = now, now + self.length
        if len(held) < len(pending):
            logger.warning(
                "%d emails of the batch were taken by another worker: left to it",
                len(pending) - len(held),
            )
        return [row for row in pending if row.pk in held]

    def has_room(self) -> bool:
        """Whether an email begun now ends before the lease does."""
        return self.ends_at - self.clock() >= self.room

    def seconds_left(self) -> float:
        return max(1.0, (self.ends_at - self.clock()).total_seconds())

    def give_back(self, *, patience: float | None = None) -> list[int]:
        """Put the rows this batch has not sent back in the queue, free for any worker
        at once, their attempt not counted. Returns their ids.

        While the database does not answer, tried again for ``patience`` seconds, or
        until the lease ends."""

        def write():
            with transaction.atomic():
                rows = self.held_rows().exclude(pk=self.in_doubt).select_for_update()
                ids = list(rows.order_by("pk").values_list("pk", flat=True))
                OutboundEmail.objects.filter(pk__in=ids).update(
                    status=EmailStatus.QUEUED,
                    lease_token=None,
                    claimed_until=None,
                    enqueued_at=None,
                    attempts=F("attempts") - 1,
                )
            return ids

        return _patiently(write, seconds=min(patience or math.inf, self.seconds_left()))


def _send_batch(pending: list[OutboundEmail], lease: _Lease, outcomes: dict) -> None:
    """Send the claimed rows in order on one SMTP connection, while the lease allows."""
    connection = get_connection()
    try:
        while pending := lease.keep(pending):
            if not lease.has_room():
                given_back = lease.give_back()
                logger.warning(
                    "Lease nearly over: %d emails given back to the queue", len(given_back)
                )
                email_hand_over(given_back)
                return
            outcomes[_deliver_one(pending.pop(0), connection, lease)] += 1
    finally:
        try:
            connection.close()
        except Exception:  # a dead connection may fail to close; it is gone anyway
            logger.debug("Closing the SMTP connection failed", exc_info=True)


def _deliver_one(email: OutboundEmail, connection, lease: _Lease) -> str:
    outcome, error = _converse(email, connection, lease)
    if outcome == "sent":
        # Whoever holds the row now: it is sent, and nobody may send it again.
        rows, patience = OutboundEmail.objects.filter(pk=email.pk), SENT_PATIENCE_SECONDS
        fields = {"status": EmailStatus.SENT, "sent_at": lease.clock(), "last_error": ""}
    else:
        rows, patience = lease.held_rows().filter(pk=email.pk), lease.seconds_left()
        if outcome == "retry" and email.attempts < _setting("OUTBOX_MAX_ATTEMPTS"):
            delay = _setting("OUTBOX_RETRY_SECONDS") * 2 ** (email.attempts - 1)
            fields = {
                "status": EmailStatus.QUEUED,
                "scheduled_at": lease.clock() + datetime.timedelta(seconds=delay),
                "last_error": error,
                "enqueued_at": None,
            }
        else:
            outcome = "failed"
            fields = {"status": EmailStatus.FAILED, "last_error": error[:2000]}
    _patiently(
        lambda: rows.update(claimed_until=None, lease_token=None, **fields), seconds=patience
    )
    lease.in_doubt = None
    return outcome


def _converse(email: OutboundEmail, connection, lease: _Lease) -> tuple[str, str]:
    """Give one email to the SMTP server: ("sent", ""), ("retry", why), ("failed", why)."""
    try:
        if getattr(connection, "connection", False) is None:  # SMTP, not open yet
            _open(connection)
        message = render_email(email, connection=connection)
        lease.in_doubt = email.pk
        message.send()
    except smtplib.SMTPRecipientsRefused as error:
        # A 4xx at RCPT (greylisting, a full mailbox) says: try again later.
        if all(400 <= code < 500 for code, _reply in error.recipients.values()):
            _drop(connection)  # after a 421 smtplib has closed the connection
            return "retry", _describe(error)
        return "failed", _describe(error)
    except smtplib.SMTPResponseException as error:  # the sender refused, DATA refused...
        if 400 <= error.smtp_code < 500:
            _drop(connection)
            return "retry", _describe(error)
        return "failed", _describe(error)
    except (smtplib.SMTPServerDisconnected, smtplib.SMTPConnectError, OSError) as error:
        _drop(connection)
        return "retry", _describe(error)
    except DATABASE_ERRORS:
        raise  # not the email's fault: the batch stops, the task retries
    except Exception as error:  # a template or attachment that cannot be built
        logger.exception("Email %s could not be built", email.pk)
        return "failed", _describe(error)
    return "sent", ""


def _describe(error: Exception) -> str:
    """The server's own words, to show staff why an email failed."""

    def text(reply) -> str:
        return reply.decode(errors="replace") if isinstance(reply, bytes) else str(reply)

    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return "; ".join(
            f"{address}: {code} {text(reply)}"
            for address, (code, reply) in error.recipients.items()
        )
    if isinstance(error, smtplib.SMTPResponseException):
        return f"{error.smtp_code} {text(error.smtp_error)}"
    return f"{type(error).__name__}: {error}"


def _open(connection) -> None:
    """Open the batch's SMTP connection; a half-open one is dropped."""
    try:
        connection.open()
    except Exception:
        _drop(connection)
        raise


def _drop(connection) -> None:
    """Forget a broken SMTP connection without a word to the server (a QUIT to a
    silent one would wait EMAIL_TIMEOUT); the next email opens a new one."""
    if getattr(connection, "connection", None) is not None:
        with contextlib.suppress(Exception):
            connection.connection.close()
        connection.connection = None


def _patiently(write, *, seconds: float):
    """``write()``; while the database does not answer, again after 0.1 s, 0.2 s...
    (at most 2 s apart) for up to ``seconds``, then its error propagates."""
    deadline = time.monotonic() + seconds
    pause = 0.1
    while True:
        try:
            return write()
        except DATABASE_ERRORS as error:
            if time.monotonic() + pause > deadline:
                raise
            logger.warning("Database unavailable, trying again in %.1f s: %s", pause, error)
            _reconnect()
            time.sleep(pause)
            pause = min(2 * pause, 2.0)


def _reconnect() -> None:
    """Close a connection the database dropped, so that the next query opens one."""
    with contextlib.suppress(DatabaseError):
        db_connection.close_if_unusable_or_obsolete()


def email_dispatch_due(*, now: datetime.datetime | None = None) -> int:
    """What beat runs: hand over due rows that no worker holds. Returns their count.

    A row in "sending" whose lease ran out belonged to a worker that died in the
    middle of it (a live batch renews its lease, or gives its rows back before it
    ends): it goes back to the queue (same Message-ID, see rendering).
    Rows handed over recently are left to the worker that has them.
    """
    now = now or timezone.now()
    stale = OutboundEmail.objects.filter(status=EmailStatus.SENDING, claimed_until__lt=now)
    revived = stale.update(
        status=EmailStatus.QUEUED, claimed_until=None, lease_token=None, enqueued_at=None
    )
    if revived:
        logger.warning("%d emails were interrupted while sending; sending them again", revived)
    requeue_before = now - datetime.timedelta(seconds=_setting("OUTBOX_REQUEUE_SECONDS"))
    due = list(
        OutboundEmail.objects.filter(status=EmailStatus.QUEUED, scheduled_at__lte=now)
        .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))
        .filter(Q(enqueued_at__isnull=True) | Q(enqueued_at__lt=requeue_before))
        .order_by("scheduled_at", "pk")
        .values_list("pk", flat=True)[: _setting("OUTBOX_DISPATCH_LIMIT")]
    )
    email_hand_over(due)
    return len(due)


def email_resend(*, email: OutboundEmail) -> OutboundEmail:
    """Put a failed email back in the queue, now, for one more series of attempts."""
    if email.status != EmailStatus.FAILED:
        raise ValueError("Only a failed email can be sent again.")
    OutboundEmail.objects.filter(pk=email.pk, status=EmailStatus.FAILED).update(
        status=EmailStatus.QUEUED,
        scheduled_at=timezone.now(),
        attempts=0,
        claimed_until=None,
        enqueued_at=None,
    )
    transaction.on_commit(lambda: email_hand_over([email.pk]))
    email.refresh_from_db()
    return email


def email_withdraw(*, related, kinds: Iterable[str]) -> int:
    """Cancel the emails about ``related`` of these kinds that are not sent yet: the one
    way an app takes back emails it queued (a reminder that no longer applies).

    Withdrawn are the rows queued with ``related=related`` (its model and id), of one of
    ``kinds``, still waiting in the queue: they are deleted and never sent. A row that a
    worker has already taken ("sending"), and every row sent or failed, is kept as the
    record of what went out. Call it in the transaction of the change that makes the
    emails pointless: they are withdrawn if and only if the change is committed.
    Returns how many were withdrawn. An unknown kind is refused (a typo would withdraw
    nothing, silently).
    """
    kinds = sorted(set(kinds))
    for kind in kinds:
        kind_of(kind)
    withdrawn, _by_model = OutboundEmail.objects.filter(
        related_type=ContentType.objects.get_for_model(related),
        related_id=related.pk,
        template_key__in=kinds,
        status=EmailStatus.QUEUED,
    ).delete()
    return withdrawn
