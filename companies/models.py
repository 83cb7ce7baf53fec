from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from stdnum.fr import siret as stdnum_siret

from accounts.models import Language
from core.fields import CanonicalEmailField, lower_case_check
from core.history import AuditedHistory
from missions.models import Sector


def validate_siret(value: str) -> None:
    """A SIRET is 14 digits whose Luhn checksum holds (python-stdnum)."""
    if not stdnum_siret.is_valid(value):
        raise ValidationError(
            _("“%(value)s” is not a valid SIRET: it must be 14 digits with a valid checksum."),
            code="invalid_siret",
            params={"value": value},
        )


class CompanySize(models.TextChoices):
    MICRO = "micro", _("Fewer than 10 employees")
    SMALL = "small", _("10 to 49 employees")
    MEDIUM = "medium", _("50 to 249 employees")
    LARGE = "large", _("250 employees or more")


class Company(models.Model):
    """A local company that may join delegations."""

    name = models.CharField(_("name"), max_length=200)
    siret = models.CharField(
        _("SIRET"),
        max_length=14,
        blank=True,
        validators=[validate_siret],
        help_text=_("14 digits, without spaces."),
    )
    sectors = models.ManyToManyField(Sector, verbose_name=_("sectors"), blank=True)
    size = models.CharField(_("size"), max_length=10, choices=CompanySize.choices, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    website = models.URLField(_("website"), blank=True)
    description = models.TextField(_("description"), blank=True)
    export_experience = models.TextField(_("export experience"), blank=True)
    invitations_opt_in = models.BooleanField(_("receives calls for applications"), default=True)
    verified = models.BooleanField(_("verified"), default=False)
    verified_at = models.DateTimeField(_("verified on"), null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("verified by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    # Who changed which field, when: one row per change (core.history).
    history = AuditedHistory(
        m2m_fields=["sectors"],
        verbose_name=_("change of a company"),
        verbose_name_plural=_("changes of companies"),
    )

    class Meta:
        verbose_name = _("company")
        verbose_name_plural = _("companies")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["siret"],
                condition=~Q(siret=""),
                name="company_siret_unique",
                violation_error_message=_("A company with this SIRET is already registered."),
            ),
            models.CheckConstraint(
                condition=Q(siret="") | Q(siret__regex=r"^[0-9]{14}$"),
                name="company_siret_fourteen_digits",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("companies:detail", kwargs={"pk": self.pk})


class MembershipRole(models.TextChoices):
    ADMIN = "admin", _("Administrator")
    MEMBER = "member", _("Member")


class MembershipStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting approval")
    ACTIVE = "active", _("Active")


class CompanyMembership(models.Model):
    """Links a user to the one company they act for."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="membership"
    )
    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(
        _("role"), max_length=10, choices=MembershipRole.choices, default=MembershipRole.MEMBER
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=MembershipStatus.choices,
        default=MembershipStatus.ACTIVE,
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("company membership")
        verbose_name_plural = _("company memberships")
        ordering = ["company__name", "user__last_name"]

    def __str__(self):
        return f"{self.user} @ {self.company}"

    @property
    def is_active(self) -> bool:
        return self.status == MembershipStatus.ACTIVE


class Contact(models.Model):
    """A person of a company, who may travel as a delegate."""

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="contacts")
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    job_title = models.CharField(_("job title"), max_length=150, blank=True)
    email = CanonicalEmailField(_("email address"))
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    language = models.CharField(
        _("language"), max_length=2, choices=Language.choices, default=Language.FRENCH
    )

    history = AuditedHistory(
        verbose_name=_("change of a contact"),
        verbose_name_plural=_("changes of contacts"),
    )

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        ordering = ["last_name", "first_name"]
        constraints = [
            models.UniqueConstraint(
                "company",
                Lower("email"),
                name="contact_email_unique_per_company",
                violation_error_message=_("This company already has a contact with this email."),
            ),
            models.CheckConstraint(condition=~Q(email=""), name="contact_email_required"),
            lower_case_check("email", name="contact_email_lower_case"),
        ]

    def __str__(self):
        return f"{self.first_name} {self.last_name}"
