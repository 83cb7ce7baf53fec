from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.models import Language
from companies.models import Company, Contact
from core.models import ChangeLog
from delegations.enums import DECISIONS, ApplicationStatus
from missions.models import Mission


class Application(models.Model):
    """A company's application to join a mission's delegation."""

    mission = models.ForeignKey(Mission, on_delete=models.CASCADE, related_name="applications")
    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="applications")
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=ApplicationStatus.choices,
        default=ApplicationStatus.DRAFT,
    )
    objectives = models.TextField(_("objectives for this market"), blank=True)
    products = models.TextField(_("products or services"), blank=True)
    counterparts_sought = models.TextField(_("counterpart profiles sought"), blank=True)
    contact_language = models.CharField(
        _("language of contact"),
        max_length=2,
        choices=Language.choices,
        default=Language.FRENCH,
    )
    delegates = models.ManyToManyField(
        Contact, verbose_name=_("delegates travelling"), blank=True, related_name="applications"
    )
    # Staff only: never shown to the company.
    internal_score = models.PositiveSmallIntegerField(
        _("internal score"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(10)],
        help_text=_("0 to 10, seen by staff only."),
    )
    internal_notes = models.TextField(_("internal notes"), blank=True)
    # What the company has been told: a decision is recorded in ``status`` first and
    # copied here when staff announce it, so a decision reversed before then is never
    # seen nor emailed. The company's own moves (submit, confirm, withdraw) set both.
    announced_status = models.CharField(
        _("status told to the company"),
        max_length=20,
        choices=ApplicationStatus.choices,
        default=ApplicationStatus.DRAFT,
    )
    announced_at = models.DateTimeField(_("decision announced"), null=True, blank=True)
    seat_confirm_by = models.DateTimeField(_("seat to confirm by"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        ordering = ["-updated_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["mission", "company"],
                name="application_unique_per_mission_company",
                violation_error_message=_("This company has already applied to this mission."),
            ),
            models.CheckConstraint(
                condition=Q(internal_score__isnull=True) | Q(internal_score__lte=10),
                name="application_score_zero_to_ten",
            ),
            models.CheckConstraint(
                condition=Q(status__in=ApplicationStatus.values),
                name="application_status_known",
            ),
            models.CheckConstraint(
                condition=Q(announced_status__in=ApplicationStatus.values),
                name="application_announced_status_known",
            ),
        ]
        indexes = [models.Index(fields=["mission", "status"])]

    def __str__(self):
        return f"{self.company} → {self.mission}"

    def get_absolute_url(self):
        return reverse("delegations:application_detail", kwargs={"pk": self.pk})

    @property
    def announcement_pending(self) -> bool:
        """A decision staff recorded that the company has not been told yet."""
        return self.status in DECISIONS and self.announced_status != self.status


class ApplicationStatusChange(ChangeLog):
    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="status_changes"
    )
    from_status = models.CharField(
        _("from"), max_length=20, choices=ApplicationStatus.choices, blank=True
    )
    to_status = models.CharField(_("to"), max_length=20, choices=ApplicationStatus.choices)
    # When the company was told of this change: at once for its own moves, at the
    # announcement for a decision; never for a decision reversed before it.
    announced_at = models.DateTimeField(_("told to the company"), null=True, blank=True)

    class Meta:
        verbose_name = _("application status change")
        verbose_name_plural = _("application status changes")
        ordering = ["changed_at", "pk"]

    def __str__(self):
        return f"{self.application}: {self.from_status or '∅'} → {self.to_status}"
