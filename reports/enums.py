"""A report's review: its states and the moves between them."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Awaiting review")
    CHANGES_REQUESTED = "changes_requested", _("Changes requested")
    APPROVED = "approved", _("Approved")


REPORT_TRANSITIONS = {
    ReportStatus.DRAFT: {ReportStatus.SUBMITTED},
    ReportStatus.SUBMITTED: {ReportStatus.APPROVED, ReportStatus.CHANGES_REQUESTED},
    ReportStatus.CHANGES_REQUESTED: {ReportStatus.SUBMITTED},
    ReportStatus.APPROVED: set(),
}
