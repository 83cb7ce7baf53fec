"""The outbox: the only way the portal sends email.

``email_queue`` writes a row in the caller's transaction; after commit a task
delivers it. ``email_dispatch_due`` (Celery beat) hands over what is due or was
left behind: reminders whose time has come, rows queued while the broker was
down, rows of a worker that died. A row is claimed before it is sent, so two
workers never send it both; a transient SMTP error puts it back in the queue
with a later due time, a permanent one marks it failed with the error.
"""

import datetime
import logging
import smtplib
from collections.abc import Iterable

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.mail import get_connection
from django.db import InterfaceError, OperationalError, transaction
from django.db.models import F, Q
from django.utils import timezone

from notifications.audiences import CALL_FOR_APPLICATIONS
from notifications.kinds import kind_of
from notifications.models import Campaign, CampaignStatus, EmailStatus, OutboundEmail
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
    mission=None,
    campaign: Campaign | None = None,
    scheduled_at: datetime.datetime | None = None,
) -> OutboundEmail:
    """Queue one email, once.

    Call it inside the transaction of the change that causes the email: the row
    exists if and only if the change is committed. A second call with the same
    idempotency key returns the first row and queues nothing. The email is handed
    to a worker after commit if it is due, otherwise when its time comes.
    """
    email_kind = kind_of(kind)
    missing = email_kind.required - context.keys()
    if missing:
        raise ValueError(f"Email {kind!r} lacks context {sorted(missing)}.")
    email, created = OutboundEmail.objects.get_or_create(
        idempotency_key=idempotency_key,
        defaults={
            "recipient": to,
            "recipient_name": name,
            "language": language,
            "template_key": kind,
            "context": context,
            "related_type": ContentType.objects.get_for_model(related) if related else None,
            "related_id": related.pk if related else None,
            "mission": mission,
            "campaign": campaign,
            "scheduled_at": scheduled_at or timezone.now(),
        },
    )
    if created and email.scheduled_at <= timezone.now():
        # Robust: the change is committed; if the hand-over fails, beat hands it over.
        transaction.on_commit(lambda: email_hand_over([email.pk]), robust=True)
    return email


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
    tick; the batches after it are left to beat as well.

    Never raises because of the broker: its outage must not fail the request that
    queued the email. A database error propagates (a task retries).
    """
    from notifications.tasks import send_emails

    size = _setting("OUTBOX_BATCH_SIZE")
    for start in range(0, len(ids), size):
        batch = ids[start : start + size]
        marked_at = timezone.now()
        OutboundEmail.objects.filter(pk__in=batch, status=EmailStatus.QUEUED).update(
            enqueued_at=marked_at
        )
        try:
            send_emails.apply_async(args=[batch], retry=False)
        except Exception as error:  # the broker, whatever its client raises
            OutboundEmail.objects.filter(pk__in=batch, enqueued_at=marked_at).update(
                enqueued_at=None
            )
            logger.warning("Broker unavailable, %d emails left to beat: %s", len(batch), error)
            return


def email_deliver(*, ids: Iterable[int], now: datetime.datetime | None = None) -> dict:
    """Send the given rows that are queued, due and not claimed by another worker.

    Returns the count of each outcome. One SMTP connection serves the batch.
    """
    # Moved time in tests; in production each outcome is dated when it happens.
    clock = (lambda: now) if now else timezone.now
    now = clock()
    lease = datetime.timedelta(seconds=_setting("OUTBOX_LEASE_SECONDS"))
    with transaction.atomic():
        claimed = list(
            OutboundEmail.objects.select_for_update(skip_locked=True)
            .filter(pk__in=list(ids), status=EmailStatus.QUEUED, scheduled_at__lte=now)
            .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        # The whole batch says "sending" from here: if the worker dies, beat sends
        # its rows again once the lease is over. Only the one email in the SMTP
        # conversation at that instant may then arrive twice, with one Message-ID.
        OutboundEmail.objects.filter(pk__in=claimed).update(
            status=EmailStatus.SENDING, claimed_until=now + lease, attempts=F("attempts") + 1
        )
    outcomes = {"sent": 0, "retry": 0, "failed": 0}
    if not claimed:
        return outcomes
    connection = get_connection()
    _open(connection)
    try:
        # Stop before the lease runs out: after it, beat may hand the rest to another
        # worker. What is left here stays "sending" and is sent after the lease.
        stop_at = now + lease - datetime.timedelta(seconds=settings.EMAIL_TIMEOUT + 5)
        for email in OutboundEmail.objects.filter(pk__in=claimed).order_by("pk").iterator():
            if clock() >= stop_at:
                logger.warning("Lease nearly over: batch stopped, the rest goes back to beat")
                break
            outcome = _deliver_one(email, connection, clock)
            outcomes[outcome] += 1
    finally:
        try:
            connection.close()
        except Exception:  # a dead connection may fail to close; it is gone anyway
            logger.debug("Closing the SMTP connection failed", exc_info=True)
    return outcomes


def _deliver_one(email: OutboundEmail, connection, clock) -> str:
    attempts = email.attempts
    try:
        message = render_email(email, connection=connection)
        message.send()
    except smtplib.SMTPRecipientsRefused as error:
        # A 4xx at RCPT (greylisting, a full mailbox) says: try again later.
        if all(400 <= code < 500 for code, _reply in error.recipients.values()):
            _reset(connection)  # after a 421 smtplib has closed the connection
            return _retry_later(email, attempts, _describe(error), clock)
        return _fail(email, _describe(error))
    except smtplib.SMTPResponseException as error:  # the sender refused, DATA refused...
        if 400 <= error.smtp_code < 500:
            _reset(connection)
            return _retry_later(email, attempts, _describe(error), clock)
        return _fail(email, _describe(error))
    except (smtplib.SMTPServerDisconnected, smtplib.SMTPConnectError, OSError) as error:
        _reset(connection)
        return _retry_later(email, attempts, _describe(error), clock)
    except Exception as error:  # a template or attachment that cannot be built
        logger.exception("Email %s could not be built", email.pk)
        return _fail(email, _describe(error))
    OutboundEmail.objects.filter(pk=email.pk).update(
        status=EmailStatus.SENT, sent_at=clock(), last_error="", claimed_until=None
    )
    return "sent"


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
    """Open the batch's connection; if the server is down, each email will say so."""
    try:
        connection.open()
    except (smtplib.SMTPException, OSError):
        logger.warning("SMTP server unavailable", exc_info=True)


def _reset(connection) -> None:
    """Replace a broken SMTP connection by a new one for the next emails."""
    try:
        connection.close()
    except Exception:
        logger.debug("Closing a broken SMTP connection failed", exc_info=True)
    _open(connection)


def _retry_later(email: OutboundEmail, attempts: int, error: str, clock) -> str:
    if attempts >= _setting("OUTBOX_MAX_ATTEMPTS"):
        return _fail(email, error)
    delay = _setting("OUTBOX_RETRY_SECONDS") * 2 ** (attempts - 1)
    OutboundEmail.objects.filter(pk=email.pk).update(
        status=EmailStatus.QUEUED,
        scheduled_at=clock() + datetime.timedelta(seconds=delay),
        last_error=error,
        claimed_until=None,
        enqueued_at=None,
    )
    return "retry"


def _fail(email: OutboundEmail, error: str) -> str:
    OutboundEmail.objects.filter(pk=email.pk).update(
        status=EmailStatus.FAILED, last_error=error[:2000], claimed_until=None
    )
    return "failed"


def email_dispatch_due(*, now: datetime.datetime | None = None) -> int:
    """What beat runs: hand over due rows that no worker holds. Returns their count.

    A row in "sending" whose lease ran out belonged to a worker that died in the
    middle of it: it goes back to the queue (same Message-ID, see rendering).
    Rows handed over recently are left to the worker that has them.
    """
    now = now or timezone.now()
    stale = OutboundEmail.objects.filter(status=EmailStatus.SENDING, claimed_until__lt=now)
    revived = stale.update(status=EmailStatus.QUEUED, claimed_until=None, enqueued_at=None)
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
    campaigns = list(
        Campaign.objects.filter(status=CampaignStatus.PENDING).values_list("pk", flat=True)
    )
    for campaign_id in campaigns:
        campaign_hand_over(campaign_id)
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
    transaction.on_commit(lambda: email_hand_over([email.pk]), robust=True)
    email.refresh_from_db()
    return email


# Campaigns ---------------------------------------------------------------------


def campaign_start(
    *,
    kind: str,
    audience: str,
    audience_params: dict | None = None,
    context: dict | None = None,
    mission=None,
    started_by=None,
) -> Campaign:
    """Record a campaign; a task writes its emails after commit. Returns at once."""
    from notifications.audiences import audience_of

    kind_of(kind)
    audience_of(audience)
    campaign = Campaign.objects.create(
        kind=kind,
        audience=audience,
        audience_params=audience_params or {},
        context=context or {},
        mission=mission,
        created_by=started_by,
    )
    transaction.on_commit(lambda: campaign_hand_over(campaign.pk))
    return campaign


def campaign_hand_over(campaign_id: int) -> None:
    from notifications.tasks import write_campaign

    try:
        write_campaign.apply_async(args=[campaign_id], retry=False)
    except Exception as error:
        logger.warning("Broker unavailable, campaign %s left to beat: %s", campaign_id, error)


def campaign_write(*, campaign_id: int) -> int:
    """Write a campaign's emails in batches and hand each batch over. Safe to repeat.

    Returns how many of the rows its recipients lead to are this campaign's.
    Each row has an idempotency key: for a call for applications about a mission,
    made of the mission, the company and the person, so that neither this task run
    twice (or resumed after a crash), nor another call for the same mission written
    at the same time, ever writes a second invitation to one person; for any other
    campaign, made of the campaign and the recipient.
    """
    from notifications.audiences import audience_of

    with transaction.atomic():
        campaign = (
            Campaign.objects.select_for_update(skip_locked=True)
            .filter(pk=campaign_id, status__in=[CampaignStatus.PENDING, CampaignStatus.WRITING])
            .first()
        )
        if campaign is None:
            return 0
        Campaign.objects.filter(pk=campaign.pk).update(status=CampaignStatus.WRITING)
    recipients = audience_of(campaign.audience)(campaign)
    batch_size = _setting("OUTBOX_WRITE_BATCH_SIZE")
    written = 0
    batch = []
    for recipient in recipients:
        batch.append(recipient)
        if len(batch) >= batch_size:
            written += _write_batch(campaign, batch)
            batch = []
    if batch:
        written += _write_batch(campaign, batch)
    Campaign.objects.filter(pk=campaign.pk).update(
        status=CampaignStatus.WRITTEN,
        written_at=timezone.now(),
        recipients=OutboundEmail.objects.filter(campaign=campaign).count(),
    )
    return written


def campaign_idempotency_key(campaign: Campaign, recipient) -> str:
    """A call about a mission is keyed by the mission, not by the campaign: of two
    calls for one mission, only one may write to a given person of a given company."""
    if campaign.mission_id is not None and campaign.kind == CALL_FOR_APPLICATIONS:
        return f"call:{campaign.mission_id}:{recipient.key}"
    return f"campaign:{campaign.pk}:{recipient.key}"


def campaign_email(campaign: Campaign, recipient, *, now=None) -> OutboundEmail:
    """The unsaved row a campaign writes for one recipient; the page that starts a
    call renders its sample from it, so the sample is what recipients receive."""
    kind = kind_of(campaign.kind)
    context = {**campaign.context, **recipient.context, "recipient_name": recipient.name}
    missing = kind.required - context.keys()
    if missing:
        raise ValueError(f"Campaign {campaign.pk} lacks context {sorted(missing)}.")
    return OutboundEmail(
        recipient=recipient.email,
        recipient_name=recipient.name,
        language=recipient.language,
        template_key=campaign.kind,
        context=context,
        related_type=_company_type() if recipient.company_id is not None else None,
        related_id=recipient.company_id,
        mission_id=campaign.mission_id,
        campaign=campaign if campaign.pk else None,
        idempotency_key=campaign_idempotency_key(campaign, recipient),
        scheduled_at=now or timezone.now(),
    )


def _company_type() -> ContentType:
    from companies.models import Company

    return ContentType.objects.get_for_model(Company)


def _write_batch(campaign: Campaign, recipients: list) -> int:
    now = timezone.now()
    rows = [campaign_email(campaign, recipient, now=now) for recipient in recipients]
    with transaction.atomic():
        # A key taken already (this task run before, or another call for the mission
        # that got there first) is skipped by the database itself: the unique index
        # decides, whatever the two tasks saw when they chose their recipients.
        OutboundEmail.objects.bulk_create(rows, ignore_conflicts=True, batch_size=1000)
        keys = [row.idempotency_key for row in rows]
        existing = list(
            OutboundEmail.objects.filter(idempotency_key__in=keys).values_list(
                "pk", "campaign_id", "status", "enqueued_at"
            )
        )
    ids = [
        pk
        for pk, _campaign, status, enqueued_at in existing
        if status == EmailStatus.QUEUED and enqueued_at is None
    ]
    email_hand_over(ids)
    return sum(1 for _pk, campaign_id, _status, _at in existing if campaign_id == campaign.pk)
