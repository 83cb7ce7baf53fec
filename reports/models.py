"""A mission's report: what it achieved, written by staff, reviewed by an official."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.models import ChangeLog
from missions.models import Mission
from reports.enums import ReportStatus


class MissionReport(models.Model):
    """What a mission achieved, written by staff and reviewed by an official."""

    mission = models.OneToOneField(Mission, on_delete=models.CASCADE, related_name="report")
    narrative = models.TextField(_("narrative"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=ReportStatus.choices, default=ReportStatus.DRAFT
    )
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reviewed by"),
    )
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    reviewer_comment = models.TextField(_("reviewer's comment"), blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("mission report")
        verbose_name_plural = _("mission reports")
        ordering = ["-updated_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=ReportStatus.values),
                name="report_status_known",
            ),
        ]

    def __str__(self):
        return str(_("Report: %(mission)s") % {"mission": self.mission})


class ReportStatusChange(ChangeLog):
    """One step of a report's review, with the comment given at that step."""

    report = models.ForeignKey(
        MissionReport, on_delete=models.CASCADE, related_name="status_changes"
    )
    from_status = models.CharField(
        _("from"), max_length=20, choices=ReportStatus.choices, blank=True
    )
    to_status = models.CharField(_("to"), max_length=20, choices=ReportStatus.choices)
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        verbose_name = _("report status change")
        verbose_name_plural = _("report status changes")
        ordering = ["changed_at", "pk"]

    def __str__(self):
        return f"{self.report}: {self.from_status or '∅'} → {self.to_status}"
