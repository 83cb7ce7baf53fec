import rules
from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from core.fields import CanonicalEmailField, canonical_email, lower_case_check


class Language(models.TextChoices):
    FRENCH = "fr", _("French")
    ENGLISH = "en", _("English")


class PortalUserManager(UserManager):
    """Users are known by their email address, whatever its case (``canonical_email``)."""

    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=canonical_email(email), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)

    def get_by_natural_key(self, username):
        # People type their email as they like: one address, one account.
        return self.get(**{self.model.USERNAME_FIELD: canonical_email(username)})


class User(AbstractUser):
    """A person who logs in: city staff, an official or a company member.

    The email address is the login. Roles are groups (see ``accounts.rules``);
    a company member is linked to their company by ``CompanyMembership``.
    """

    username = None
    email = CanonicalEmailField(_("email address"), unique=True)
    language = models.CharField(
        _("language"),
        max_length=2,
        choices=Language.choices,
        default=Language.FRENCH,
        help_text=_("Emails from the portal are written in this language."),
    )
    job_title = models.CharField(_("job title"), max_length=150, blank=True)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = ["first_name", "last_name"]

    objects = PortalUserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["last_name", "first_name", "email"]
        constraints = [
            models.UniqueConstraint(Lower("email"), name="accounts_user_email_ci_unique"),
            lower_case_check("email", name="accounts_user_email_lower_case"),
        ]

    def __str__(self):
        return self.get_full_name() or self.email

    def has_perm(self, perm, obj=None):
        """The portal's own permissions (``rules.py`` of each app) are decided by their
        rules alone: Django would grant them all to a superuser, company-only pages
        included. A superuser is city staff by those rules, and keeps every permission
        of the Django admin."""
        if rules.perm_exists(perm):
            return self.is_active and rules.has_perm(perm, self, obj)
        return super().has_perm(perm, obj)
