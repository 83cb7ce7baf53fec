from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from accounts.models import Language
from core.dates import portal_date_check
from core.fields import CanonicalEmailField, lower_case_check
from core.history import AuditedHistory
from core.models import ChangeLog
from delegations.models import Application
from meetings.enums import (
    MEETING_INACTIVE,
    CounterpartKind,
    FollowUpStage,
    MeetingRequestStatus,
    MeetingStatus,
    RequestOrigin,
)
from missions.models import Mission, Sector


class Counterpart(models.Model):
    """An organisation at the destination that delegates may meet. It has no account."""

    mission = models.ForeignKey(Mission, on_delete=models.CASCADE, related_name="counterparts")
    organisation = models.CharField(_("organisation"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=CounterpartKind.choices)
    sectors = models.ManyToManyField(Sector, verbose_name=_("sectors"), blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    contact_name = models.CharField(_("contact person"), max_length=200)
    email = CanonicalEmailField(_("email address"))
    language = models.CharField(
        _("language"), max_length=2, choices=Language.choices, default=Language.ENGLISH
    )
    description = models.TextField(_("description"), blank=True)
    interests = models.TextField(
        _("interests"),
        blank=True,
        help_text=_("What the organisation looks for: products, technologies, markets."),
    )

    # Who changed which field, when: one row per change (core.history).
    history = AuditedHistory(
        m2m_fields=["sectors"],
        verbose_name=_("change of a counterpart"),
        verbose_name_plural=_("changes of counterparts"),
    )

    class Meta:
        verbose_name = _("counterpart")
        verbose_name_plural = _("counterparts")
        ordering = ["organisation"]
        constraints = [
            models.UniqueConstraint(
                "mission",
                Lower("organisation"),
                Lower("email"),
                name="counterpart_unique_per_mission",
                violation_error_message=_("This counterpart is already registered."),
            ),
            lower_case_check("email", name="counterpart_email_lower_case"),
        ]

    def __str__(self):
        return self.organisation


class MeetingRequest(models.Model):
    """A wish to meet a counterpart; only qualified requests are scheduled."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="meeting_requests"
    )
    counterpart = models.ForeignKey(
        Counterpart, on_delete=models.CASCADE, related_name="meeting_requests"
    )
    priority = models.PositiveSmallIntegerField(
        _("priority"),
        default=2,
        validators=[MinValueValidator(1), MaxValueValidator(3)],
        help_text=_("1 = nice to have, 3 = essential."),
    )
    rationale = models.TextField(_("rationale"), blank=True)
    origin = models.CharField(
        _("origin"), max_length=20, choices=RequestOrigin.choices, default=RequestOrigin.COMPANY
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=MeetingRequestStatus.choices,
        default=MeetingRequestStatus.REQUESTED,
    )
    purpose = models.CharField(_("purpose"), max_length=300, blank=True)
    qualification_note = models.TextField(_("qualification note"), blank=True)
    decline_reason = models.TextField(_("reason for declining"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("meeting request")
        verbose_name_plural = _("meeting requests")
        ordering = ["-priority", "created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "counterpart"],
                name="meeting_request_unique_pair",
                violation_error_message=_("This meeting has already been requested."),
            ),
            models.CheckConstraint(
                condition=Q(priority__gte=1) & Q(priority__lte=3),
                name="meeting_request_priority_1_to_3",
                violation_error_message=_("The priority must be 1, 2 or 3."),
            ),
            # Lets a meeting's foreign key check that it repeats its request's parties.
            models.UniqueConstraint(
                fields=["id", "application", "counterpart"], name="meeting_request_identity"
            ),
            models.CheckConstraint(
                condition=Q(status__in=MeetingRequestStatus.values),
                name="meeting_request_status_known",
            ),
            models.CheckConstraint(
                condition=~Q(status=MeetingRequestStatus.DECLINED) | ~Q(decline_reason=""),
                name="meeting_request_declined_has_reason",
                violation_error_message=_("A declined request needs a reason."),
            ),
        ]

    def __str__(self):
        return f"{self.application.company} ↔ {self.counterpart}"


class MeetingGrid(models.Model):
    """How a mission's B2B meetings are laid out: sessions, slot length and tables."""

    mission = models.OneToOneField(Mission, on_delete=models.CASCADE, related_name="meeting_grid")
    # The sessions in destination time, from which the slots are cut:
    # [{"date": "2027-07-08", "start": "09:00", "end": "12:30"}, ...]
    sessions = models.JSONField(_("sessions"), default=list, blank=True)
    venue = models.CharField(
        _("venue"),
        max_length=300,
        blank=True,
        help_text=_("Where the meetings take place, e.g. MaRS Discovery District, Toronto."),
    )
    slot_minutes = models.PositiveSmallIntegerField(
        _("slot length (minutes)"), default=30, validators=[MinValueValidator(5)]
    )
    tables = models.PositiveSmallIntegerField(
        _("tables"), default=10, validators=[MinValueValidator(1)]
    )
    # The last run of each objective, for the grid page to compare them:
    # {"balanced": {"objective": "balanced", "at": "...", "placed": 210, ...}, ...}
    last_runs = models.JSONField(_("last runs of the scheduler"), default=dict, blank=True)

    class Meta:
        verbose_name = _("meeting grid")
        verbose_name_plural = _("meeting grids")
        constraints = [
            models.CheckConstraint(condition=Q(tables__gte=1), name="grid_tables_at_least_one"),
            models.CheckConstraint(
                condition=Q(slot_minutes__gte=5), name="grid_slot_at_least_five_minutes"
            ),
        ]

    def __str__(self):
        return str(self.mission)


class MeetingSlot(models.Model):
    """A time slot of the meeting grid, stored in UTC."""

    grid = models.ForeignKey(MeetingGrid, on_delete=models.CASCADE, related_name="slots")
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))

    class Meta:
        verbose_name = _("meeting slot")
        verbose_name_plural = _("meeting slots")
        ordering = ["starts_at"]
        constraints = [
            models.UniqueConstraint(fields=["grid", "starts_at"], name="slot_unique_start"),
            portal_date_check("starts_at", name="slot_start_in_range", instant=True),
            portal_date_check("ends_at", name="slot_end_in_range", instant=True),
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="slot_ends_after_start"
            ),
        ]

    def __str__(self):
        return f"{self.starts_at:%Y-%m-%d %H:%M} UTC"


class Unavailability(models.Model):
    """A slot in which one participant, company or counterpart, cannot meet."""

    slot = models.ForeignKey(
        MeetingSlot, on_delete=models.CASCADE, related_name="unavailabilities"
    )
    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    counterpart = models.ForeignKey(
        Counterpart, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("unavailability")
        verbose_name_plural = _("unavailabilities")
        constraints = [
            models.CheckConstraint(
                condition=Q(application__isnull=True, counterpart__isnull=False)
                | Q(application__isnull=False, counterpart__isnull=True),
                name="unavailability_one_participant",
            ),
            models.UniqueConstraint(
                fields=["slot", "application"], name="unavailability_unique_application"
            ),
            models.UniqueConstraint(
                fields=["slot", "counterpart"], name="unavailability_unique_counterpart"
            ),
        ]

    def __str__(self):
        return f"{self.application or self.counterpart} @ {self.slot}"


ACTIVE_MEETING = ~Q(status__in=MEETING_INACTIVE)


class Meeting(models.Model):
    """A qualified request placed at a slot and a table.

    ``application`` and ``counterpart`` repeat the request's so that the database
    itself refuses a participant, or a table, twice in one slot.
    """

    request = models.OneToOneField(
        MeetingRequest, on_delete=models.CASCADE, related_name="meeting"
    )
    slot = models.ForeignKey(MeetingSlot, on_delete=models.PROTECT, related_name="meetings")
    table = models.PositiveSmallIntegerField(_("table"), validators=[MinValueValidator(1)])
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="+")
    counterpart = models.ForeignKey(Counterpart, on_delete=models.CASCADE, related_name="+")
    status = models.CharField(
        _("status"), max_length=20, choices=MeetingStatus.choices, default=MeetingStatus.SCHEDULED
    )
    locked = models.BooleanField(
        _("locked"), default=False, help_text=_("The scheduler leaves a locked meeting in place.")
    )
    # Raised at each move of an invited meeting: calendars replace the event they hold.
    sequence = models.PositiveIntegerField(_("version sent"), default=0)
    invited_at = models.DateTimeField(_("invitations sent"), null=True, blank=True)
    responded_at = models.DateTimeField(_("counterpart answered"), null=True, blank=True)
    response_note = models.TextField(_("counterpart's message"), blank=True)
    counterpart_comment = models.TextField(_("counterpart's feedback"), blank=True)
    company_rating = models.PositiveSmallIntegerField(
        _("company's rating"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    counterpart_rating = models.PositiveSmallIntegerField(
        _("counterpart's rating"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    follow_up_stage = models.CharField(
        _("follow-up stage"), max_length=20, choices=FollowUpStage.choices, blank=True
    )
    leads = models.PositiveIntegerField(_("leads"), null=True, blank=True)
    estimated_value = models.DecimalField(
        _("estimated value (€)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["slot__starts_at", "table"]
        constraints = [
            models.UniqueConstraint(
                fields=["slot", "table"],
                condition=ACTIVE_MEETING,
                name="meeting_one_per_table_and_slot",
                violation_error_message=_("This table is already taken in this slot."),
            ),
            models.UniqueConstraint(
                fields=["slot", "application"],
                condition=ACTIVE_MEETING,
                name="meeting_company_once_per_slot",
                violation_error_message=_("This company already has a meeting in this slot."),
            ),
            models.UniqueConstraint(
                fields=["slot", "counterpart"],
                condition=ACTIVE_MEETING,
                name="meeting_counterpart_once_per_slot",
                violation_error_message=_("This counterpart already has a meeting in this slot."),
            ),
            models.CheckConstraint(condition=Q(table__gte=1), name="meeting_table_from_one"),
            models.CheckConstraint(
                condition=Q(status__in=MeetingStatus.values), name="meeting_status_known"
            ),
            models.CheckConstraint(
                condition=Q(company_rating__isnull=True)
                | (Q(company_rating__gte=1) & Q(company_rating__lte=5)),
                name="meeting_company_rating_1_to_5",
            ),
            models.CheckConstraint(
                condition=Q(counterpart_rating__isnull=True)
                | (Q(counterpart_rating__gte=1) & Q(counterpart_rating__lte=5)),
                name="meeting_counterpart_rating_1_to_5",
            ),
            models.CheckConstraint(
                condition=Q(estimated_value__isnull=True) | Q(estimated_value__gte=0),
                name="meeting_estimated_value_not_negative",
            ),
        ]

    def __str__(self):
        return f"{self.request} @ {self.slot}"


class MeetingRequestStatusChange(ChangeLog):
    """Who qualified, declined or scheduled a meeting request, and when."""

    request = models.ForeignKey(
        MeetingRequest, on_delete=models.CASCADE, related_name="status_changes"
    )
    from_status = models.CharField(
        _("from"), max_length=20, choices=MeetingRequestStatus.choices, blank=True
    )
    to_status = models.CharField(_("to"), max_length=20, choices=MeetingRequestStatus.choices)

    class Meta:
        verbose_name = _("meeting request status change")
        verbose_name_plural = _("meeting request status changes")
        ordering = ["changed_at", "pk"]

    def __str__(self):
        return f"{self.request_id}: {self.from_status or '∅'} → {self.to_status}"


class MeetingChange(ChangeLog):
    """A meeting's life: placed, moved, locked, invited, answered, its outcome recorded.

    ``changed_by`` is empty for the counterpart (no account); a placement names the staff
    member who ran the scheduler. ``detail`` says what changed, in the portal's default
    language; ``details`` in each language (``detail_read``: the reader's).
    """

    class Action(models.TextChoices):
        PLACED = "placed", _("Placed")
        MOVED = "moved", _("Moved")
        LOCKED = "locked", _("Locked")
        UNLOCKED = "unlocked", _("Unlocked")
        INVITED = "invited", _("Invitations sent")
        ACCEPTED = "accepted", _("Accepted by the counterpart")
        DECLINED = "declined", _("Declined by the counterpart")
        OUTCOME = "outcome", _("Outcome recorded")
        FEEDBACK = "feedback", _("Feedback from the counterpart")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="changes")
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    from_status = models.CharField(
        _("from"), max_length=20, choices=MeetingStatus.choices, blank=True
    )
    to_status = models.CharField(_("to"), max_length=20, choices=MeetingStatus.choices)
    detail = models.CharField(_("detail"), max_length=300, blank=True)
    details = models.JSONField(_("detail in each language"), default=dict, blank=True)

    class Meta:
        verbose_name = _("meeting change")
        verbose_name_plural = _("meeting changes")
        ordering = ["changed_at", "pk"]

    def __str__(self):
        return f"{self.meeting_id}: {self.action}"

    @property
    def detail_read(self) -> str:
        """The detail in the reader's language, as it was written for it."""
        return self.details.get(translation.get_language() or "", self.detail)
