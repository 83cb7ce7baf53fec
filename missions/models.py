import zoneinfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from core.dates import portal_date_check, validate_portal_date
from core.models import ChangeLog
from missions.enums import MissionStatus, ProgrammeItemKind


def validate_time_zone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(
            _("“%(value)s” is not a known time zone (expected e.g. America/Toronto)."),
            code="unknown_time_zone",
            params={"value": value},
        )


class Sector(models.Model):
    """A business sector; the six sectors of excellence come first."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name_fr = models.CharField(_("name (French)"), max_length=120)
    name_en = models.CharField(_("name (English)"), max_length=120)
    is_excellence = models.BooleanField(_("sector of excellence"), default=False)

    class Meta:
        verbose_name = _("sector")
        verbose_name_plural = _("sectors")
        ordering = ["-is_excellence", "name_fr"]

    def __str__(self):
        return self.name

    @property
    def name(self) -> str:
        return sector_name(self.name_fr, self.name_en)


def sector_name(name_fr: str, name_en: str) -> str:
    """A sector's name in the active language, from its two names (``Sector.name``)."""
    return name_en if (get_language() or "fr").startswith("en") else name_fr


class Mission(models.Model):
    """A trade mission abroad: a delegation of local companies, on given dates."""

    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=220, unique=True)
    country = CountryField(_("destination country"))
    cities = models.CharField(
        _("destination cities"), max_length=300, help_text=_("Separated by commas.")
    )
    timezone = models.CharField(
        _("destination time zone"),
        max_length=64,
        validators=[validate_time_zone],
        help_text=_("IANA name, e.g. America/Toronto."),
    )
    start_date = models.DateField(
        _("start date"), null=True, blank=True, validators=[validate_portal_date]
    )
    end_date = models.DateField(
        _("end date"), null=True, blank=True, validators=[validate_portal_date]
    )
    sectors = models.ManyToManyField(Sector, verbose_name=_("sectors"), blank=True)
    capacity = models.PositiveSmallIntegerField(
        _("capacity (companies)"), default=10, validators=[MinValueValidator(1)]
    )
    applications_open_at = models.DateTimeField(
        _("applications open"), null=True, blank=True, validators=[validate_portal_date]
    )
    application_deadline = models.DateTimeField(
        _("application deadline"), null=True, blank=True, validators=[validate_portal_date]
    )
    status = models.CharField(
        _("status"), max_length=20, choices=MissionStatus.choices, default=MissionStatus.DRAFT
    )
    partners = models.TextField(_("partners"), blank=True)
    officials = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("accompanying officials"),
        blank=True,
        related_name="accompanied_missions",
    )
    budget_planned = models.DecimalField(
        _("planned budget (€)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    budget_actual = models.DecimalField(
        _("actual budget (€)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    summary = models.CharField(_("summary"), max_length=300, blank=True)
    description = models.TextField(_("description"), blank=True)
    objectives = models.TextField(_("objectives"), blank=True)
    # Raised by every save through the services: an edit based on an older version
    # is refused instead of overwriting a colleague's change.
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("mission")
        verbose_name_plural = _("missions")
        ordering = [F("start_date").asc(nulls_last=True), "title"]
        constraints = [
            portal_date_check("start_date", name="mission_start_date_in_range"),
            portal_date_check("end_date", name="mission_end_date_in_range"),
            portal_date_check(
                "applications_open_at", name="mission_opening_in_range", instant=True
            ),
            portal_date_check(
                "application_deadline", name="mission_deadline_in_range", instant=True
            ),
            models.CheckConstraint(
                condition=Q(start_date__isnull=True)
                | Q(end_date__isnull=True)
                | Q(end_date__gte=F("start_date")),
                name="mission_end_not_before_start",
                violation_error_message=_("The end date cannot be before the start date."),
            ),
            models.CheckConstraint(
                condition=Q(capacity__gte=1),
                name="mission_capacity_at_least_one",
                violation_error_message=_("The capacity must be at least 1."),
            ),
            models.CheckConstraint(
                condition=Q(applications_open_at__isnull=True)
                | Q(application_deadline__isnull=True)
                | Q(application_deadline__gt=F("applications_open_at")),
                name="mission_deadline_after_opening",
                violation_error_message=_("The deadline must come after the opening."),
            ),
            models.CheckConstraint(
                condition=Q(budget_planned__isnull=True) | Q(budget_planned__gte=0),
                name="mission_budget_planned_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(budget_actual__isnull=True) | Q(budget_actual__gte=0),
                name="mission_budget_actual_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(status__in=MissionStatus.values),
                name="mission_status_known",
            ),
        ]
        indexes = [models.Index(fields=["status", "start_date"])]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("missions:detail", kwargs={"slug": self.slug})

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.timezone)

    @property
    def city_list(self) -> list[str]:
        return [city.strip() for city in self.cities.split(",") if city.strip()]


class MissionStatusChange(ChangeLog):
    """One step of a mission's lifecycle: who moved it, when, from and to."""

    mission = models.ForeignKey(Mission, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(
        _("from"), max_length=20, choices=MissionStatus.choices, blank=True
    )
    to_status = models.CharField(_("to"), max_length=20, choices=MissionStatus.choices)

    class Meta:
        verbose_name = _("mission status change")
        verbose_name_plural = _("mission status changes")
        ordering = ["changed_at", "pk"]

    def __str__(self):
        return f"{self.mission}: {self.from_status or '∅'} → {self.to_status}"


class ProgrammeItem(models.Model):
    """An event of the mission's own agenda, stored in UTC, shown in destination time."""

    mission = models.ForeignKey(Mission, on_delete=models.CASCADE, related_name="programme")
    kind = models.CharField(_("kind"), max_length=20, choices=ProgrammeItemKind.choices)
    title = models.CharField(_("title"), max_length=200)
    city = models.CharField(_("city"), max_length=100, blank=True)
    location = models.CharField(_("place"), max_length=200, blank=True)
    starts_at = models.DateTimeField(_("starts"), validators=[validate_portal_date])
    ends_at = models.DateTimeField(_("ends"), validators=[validate_portal_date])
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("programme item")
        verbose_name_plural = _("programme items")
        ordering = ["starts_at", "pk"]
        constraints = [
            portal_date_check("starts_at", name="programme_item_start_in_range", instant=True),
            portal_date_check("ends_at", name="programme_item_end_in_range", instant=True),
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")),
                name="programme_item_ends_after_start",
                violation_error_message=_("An event must end after it starts."),
            ),
        ]

    def __str__(self):
        return self.title
