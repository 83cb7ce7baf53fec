"""Calls for applications: one email written to many people, by a task, through the outbox."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from notifications.models import context_field, context_version_field


class CampaignStatus(models.TextChoices):
    PENDING = "pending", _("Waiting to start")
    WRITING = "writing", _("Writing the emails")
    WRITTEN = "written", _("All emails written")


class Campaign(models.Model):
    """One email sent to many people (a call for applications to 5,000 companies).

    Starting one only records it; a task writes its emails in batches, so the
    request that starts it returns at once. Its progress is counted from the outbox.
    """

    kind = models.CharField(_("kind"), max_length=80)
    audience = models.CharField(_("audience"), max_length=80)
    audience_params = models.JSONField(_("audience settings"), default=dict, blank=True)
    context = context_field()
    context_version = context_version_field()
    mission = models.ForeignKey(
        "missions.Mission",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="campaigns",
        verbose_name=_("mission"),
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=CampaignStatus.choices,
        default=CampaignStatus.PENDING,
    )
    recipients = models.PositiveIntegerField(_("recipients written"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("started by"),
    )
    created_at = models.DateTimeField(_("started"), auto_now_add=True)
    written_at = models.DateTimeField(_("all written"), null=True, blank=True)
    # The outbox's rows it wrote (their "mailing"). A campaign is never deleted (no page
    # or admin does): deleting one would delete its emails, the record of what went out.
    emails = GenericRelation(
        "notifications.OutboundEmail",
        content_type_field="mailing_type",
        object_id_field="mailing_id",
        related_query_name="campaign",
    )

    class Meta:
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=CampaignStatus.values), name="campaign_status_known"
            ),
        ]

    def __str__(self):
        return f"{self.kind} #{self.pk}"

    def get_absolute_url(self):
        return reverse("campaigns:campaign", kwargs={"pk": self.pk})
