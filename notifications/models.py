from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import npgettext_lazy

from accounts.models import Language
from notifications.context import LEGACY, TYPED, ContextDecoder, ContextEncoder


def context_field():
    """An email's context: typed values (see notifications/context.py)."""
    return models.JSONField(
        _("context"), default=dict, blank=True, encoder=ContextEncoder, decoder=ContextDecoder
    )


def context_version_field():
    """The format a context is written in (notifications/context.py)."""
    # Rows written before contexts were typed (and by a portal not yet updated, which
    # does not know the column) are of the legacy format; new rows say they are typed.
    return models.PositiveSmallIntegerField(
        _("context format"), default=TYPED, db_default=LEGACY, editable=False
    )


class EmailStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


# A status beside a count in the outbox's totals, agreeing with it ("3 failed", in French
# "3 en échec"): ``EMAILS_COUNTED[status] % {"count": n}``.
EMAILS_COUNTED = {
    EmailStatus.QUEUED: npgettext_lazy("emails counted", "queued", "queued", "count"),
    EmailStatus.SENDING: npgettext_lazy("emails counted", "sending", "sending", "count"),
    EmailStatus.SENT: npgettext_lazy("emails counted", "sent", "sent", "count"),
    EmailStatus.FAILED: npgettext_lazy("emails counted", "failed", "failed", "count"),
}


class OutboundEmail(models.Model):
    """One email of the outbox, written in the same transaction as its cause.

    The idempotency key (e.g. ``decision:application:42:accepted``) makes a
    retry, a double click or a re-run a no-op instead of a second email.
    """

    recipient = models.EmailField(_("recipient"))
    recipient_name = models.CharField(_("recipient's name"), max_length=200, blank=True)
    language = models.CharField(
        _("language"), max_length=2, choices=Language.choices, default=Language.FRENCH
    )
    template_key = models.CharField(_("kind"), max_length=80)
    # Typed values (see notifications/context.py), rendered in the recipient's language.
    context = context_field()
    context_version = context_version_field()
    related_type = models.ForeignKey(
        ContentType, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    related_id = models.PositiveBigIntegerField(null=True, blank=True)
    related = GenericForeignKey("related_type", "related_id")
    # What staff find the email under (the mission it is about), and the mass mailing
    # that wrote it (a call for applications), if any: set by the app that queues it,
    # whatever its models. References, not foreign keys: the outbox knows no app above.
    topic_type = models.ForeignKey(
        ContentType, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    topic_id = models.PositiveBigIntegerField(null=True, blank=True)
    topic = GenericForeignKey("topic_type", "topic_id")
    mailing_type = models.ForeignKey(
        ContentType, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    mailing_id = models.PositiveBigIntegerField(null=True, blank=True)
    mailing = GenericForeignKey("mailing_type", "mailing_id")
    idempotency_key = models.CharField(_("idempotency key"), max_length=200, unique=True)
    status = models.CharField(
        _("status"), max_length=10, choices=EmailStatus.choices, default=EmailStatus.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    scheduled_at = models.DateTimeField(_("due"), default=timezone.now)
    # When a task for this row was last handed to the broker; empty if the broker
    # was down. The periodic task hands over again rows that no worker took.
    enqueued_at = models.DateTimeField(_("handed to the broker"), null=True, blank=True)
    # A batch that takes the row leases it until then (renewing as it goes) under a
    # token of its own: others leave the row alone, and the batch knows it still
    # holds it. Both empty unless the row says "sending".
    claimed_until = models.DateTimeField(_("claimed until"), null=True, blank=True)
    lease_token = models.UUIDField(null=True, blank=True, editable=False)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("outbound email")
        verbose_name_plural = _("outbound emails")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=EmailStatus.values), name="email_status_known"
            ),
            models.CheckConstraint(
                condition=~Q(status=EmailStatus.SENT) | Q(sent_at__isnull=False),
                name="email_sent_has_time",
            ),
        ]
        indexes = [
            # The outbox's pages, newest first: a page is read from the index, not sorted.
            models.Index(fields=["-created_at", "-id"], name="email_newest_first_idx"),
            # The periodic task looks for due rows still queued.
            models.Index(
                fields=["scheduled_at"],
                condition=Q(status="queued"),
                name="email_due_queued_idx",
            ),
            models.Index(fields=["topic_type", "topic_id", "status"], name="email_topic_idx"),
            models.Index(
                fields=["mailing_type", "mailing_id", "status"], name="email_mailing_idx"
            ),
            # "Was this company already invited to this mission?": asked once per
            # company of a call's audience, it must be an index probe.
            models.Index(fields=["related_type", "related_id"], name="email_related_idx"),
            models.Index(fields=["status", "template_key"]),
        ]

    def __str__(self):
        return f"{self.template_key} → {self.recipient}"
