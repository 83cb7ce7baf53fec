"""Calls for applications: one email written to thousands of people, through the outbox.

Starting a campaign only records it; a task (``campaigns.write_campaign``) writes its
emails in batches with ``notifications.services.email_queue_many`` and the outbox
delivers them. Celery beat runs ``campaigns.dispatch_pending`` every 30 s: it hands
over the campaigns recorded while the broker was down.
"""

import logging

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

from campaigns.audiences import CALL_FOR_APPLICATIONS, Recipient, audience_of
from campaigns.models import Campaign, CampaignStatus
from companies.models import Company
from missions.models import Mission
from notifications.context import check_keys
from notifications.kinds import kind_of
from notifications.models import OutboundEmail
from notifications.services import email_build, email_queue_many

logger = logging.getLogger(__name__)


def campaign_start(
    *,
    kind: str,
    audience: str,
    audience_params: dict | None = None,
    context: dict | None = None,
    mission=None,
    started_by=None,
) -> Campaign:
    """Record a campaign; a task writes its emails after commit. Returns at once.

    ``context`` is what every recipient's email says (typed values, see
    ``notifications/context.py``); each recipient adds their own."""
    kind_of(kind)
    audience_of(audience)
    check_keys(context or {})
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
    """Give the campaign to a worker; if the broker is down, leave it to beat."""
    from campaigns.tasks import write_campaign

    try:
        write_campaign.apply_async(args=[campaign_id], retry=False)
    except Exception as error:  # the broker, whatever its client raises
        logger.warning("Broker unavailable, campaign %s left to beat: %s", campaign_id, error)


def campaigns_dispatch_pending() -> int:
    """What beat runs: hand over the campaigns still waiting to start. Returns their count."""
    pending = list(
        Campaign.objects.filter(status=CampaignStatus.PENDING).values_list("pk", flat=True)
    )
    for campaign_id in pending:
        campaign_hand_over(campaign_id)
    return len(pending)


def campaign_write(*, campaign_id: int) -> int:
    """Write a campaign's emails in batches and hand each batch over. Safe to repeat.

    Returns how many of the rows its recipients lead to are this campaign's.
    Each row has an idempotency key: for a call for applications about a mission,
    made of the mission, the company and the person, so that neither this task run
    twice (or resumed after a crash), nor another call for the same mission written
    at the same time, ever writes a second invitation to one person; for any other
    campaign, made of the campaign and the recipient.
    """
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
    batch_size = settings.OUTBOX_WRITE_BATCH_SIZE
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
        recipients=campaign.emails.count(),
    )
    return written


def campaign_idempotency_key(campaign: Campaign, recipient: Recipient) -> str:
    """A call about a mission is keyed by the mission, not by the campaign: of two
    calls for one mission, only one may write to a given person of a given company."""
    if campaign.mission_id is not None and campaign.kind == CALL_FOR_APPLICATIONS:
        return f"call:{campaign.mission_id}:{recipient.key}"
    return f"campaign:{campaign.pk}:{recipient.key}"


def campaign_email(campaign: Campaign, recipient: Recipient, *, now=None) -> OutboundEmail:
    """The unsaved row a campaign writes for one recipient; the page that starts a
    call renders its sample from it, so the sample is what recipients receive.

    The row is related to the recipient's company (how a later call for the mission
    knows the company was invited), filed under the campaign's mission, and its
    mailing is the campaign (once recorded). A campaign recorded before contexts were
    typed writes rows of its own format."""
    return email_build(
        to=recipient.email,
        name=recipient.name,
        language=recipient.language,
        kind=campaign.kind,
        context={**campaign.context, **recipient.context, "recipient_name": recipient.name},
        context_version=campaign.context_version,
        idempotency_key=campaign_idempotency_key(campaign, recipient),
        related=Company(pk=recipient.company_id) if recipient.company_id is not None else None,
        topic=Mission(pk=campaign.mission_id) if campaign.mission_id is not None else None,
        mailing=campaign if campaign.pk else None,
        scheduled_at=now or timezone.now(),
    )


def _write_batch(campaign: Campaign, recipients: list[Recipient]) -> int:
    now = timezone.now()
    # A key taken already (this task run before, or another call for the mission that
    # got there first) is skipped by the database itself: the unique index decides,
    # whatever the two tasks saw when they chose their recipients.
    rows = email_queue_many([campaign_email(campaign, person, now=now) for person in recipients])
    ours = (ContentType.objects.get_for_model(Campaign).pk, campaign.pk)
    return sum(1 for row in rows if (row.mailing_type_id, row.mailing_id) == ours)
