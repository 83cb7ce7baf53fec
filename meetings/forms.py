from django import forms
from django.db.models import BLANK_CHOICE_DASH
from django.utils.translation import gettext_lazy as _

from accounts.models import Language
from core.bulk import SelectionForm
from core.dates import DateField
from core.forms import CsvUploadForm, IntegerField, ValuesChoiceField
from delegations.models import Application
from meetings.enums import CounterpartKind, FollowUpStage, MeetingStatus
from meetings.filters import PRIORITY_CHOICES
from meetings.models import Counterpart
from meetings.scheduling import BALANCED, PRIORITY
from meetings.services.requests import (
    DESCRIPTION_MAX_LENGTH,
    NOTE_MAX_LENGTH,
    RATIONALE_MAX_LENGTH,
)
from missions.models import Sector


class CounterpartForm(forms.Form):
    """A counterpart of a mission, as staff type it. What is required, valid and unique
    is the service's to say (``counterpart_save``): the browser is only told it."""

    organisation = forms.CharField(label=_("Organisation"), max_length=200)
    kind = forms.ChoiceField(
        label=_("Kind"), choices=[*BLANK_CHOICE_DASH, *CounterpartKind.choices]
    )
    sectors = forms.ModelMultipleChoiceField(
        label=_("Sectors"),
        queryset=Sector.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    city = forms.CharField(label=_("City"), max_length=100, required=False)
    contact_name = forms.CharField(label=_("Contact person"), max_length=200)
    email = forms.EmailField(
        label=_("Email address"),
        help_text=_("The contact's: invitations are sent there. Companies never see it."),
    )
    language = forms.ChoiceField(
        label=_("Language"),
        choices=Language.choices,
        initial=Language.ENGLISH,
        help_text=_("The language the invitations are written in."),
    )
    description = forms.CharField(
        label=_("Description"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": DESCRIPTION_MAX_LENGTH}),
        help_text=_("What the organisation does: the companies of the delegation read it."),
    )
    interests = forms.CharField(
        label=_("Interests"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "maxlength": DESCRIPTION_MAX_LENGTH}),
        help_text=_(
            "What the organisation looks for, in a few words (products, technologies, "
            "markets): the companies read it, and the suggestions match it with what each "
            "company offers."
        ),
    )


class CounterpartImportForm(CsvUploadForm):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_("One counterpart per line, columns separated by ; or by ,."),
    )


class MeetingRequestForm(forms.Form):
    """A company asks to meet a counterpart of the mission (``counterparts``)."""

    counterpart = ValuesChoiceField(
        Counterpart.objects.none(), label_field="organisation", label=_("Counterpart")
    )
    priority = forms.TypedChoiceField(
        label=_("Priority"),
        choices=sorted(PRIORITY_CHOICES),
        coerce=int,
        initial=2,
        widget=forms.RadioSelect,
    )
    rationale = forms.CharField(
        label=_("Rationale"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": RATIONALE_MAX_LENGTH}),
        help_text=_(
            "Why this meeting matters to your company: it helps the city's team qualify it."
        ),
    )

    def __init__(self, *args, counterparts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["counterpart"].queryset = counterparts


class StaffMeetingRequestForm(MeetingRequestForm):
    """Staff ask for a meeting on behalf of a company whose seat is confirmed."""

    application = ValuesChoiceField(
        Application.objects.none(), label_field="company__name", label=_("Company")
    )
    field_order = ["application", "counterpart", "priority", "rationale"]

    def __init__(self, *args, applications, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["application"].queryset = applications
        self.fields["application"].help_text = _("Only the companies whose seat is confirmed.")
        self.fields["rationale"].help_text = _("Why this meeting matters: the company reads it.")


class SuggestionsForm(forms.Form):
    """Whose suggested counterparts staff look at: a company whose seat is confirmed
    (``applications``). Sent by GET: it changes nothing."""

    application = ValuesChoiceField(
        Application.objects.none(),
        label_field="company__name",
        label=_("Company"),
        widget=forms.Select(attrs={"class": "form-select"}),
    )

    def __init__(self, *args, applications, **kwargs):
        # Beside the request's own form, whose company field is ``id_application``.
        kwargs.setdefault("auto_id", "suggestions_%s")
        super().__init__(*args, **kwargs)
        self.fields["application"].queryset = applications


class QualifyForm(forms.Form):
    purpose = forms.CharField(
        label=_("Purpose of the meeting"),
        max_length=300,
        help_text=_("What the meeting is for: the company reads it."),
    )
    qualification_note = forms.CharField(
        label=_("Qualification note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": NOTE_MAX_LENGTH}),
        help_text=_("Why the meeting is worth it. Seen by staff only."),
    )


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": NOTE_MAX_LENGTH}),
        help_text=_("The company reads it on its meetings page."),
    )


class RequestBulkForm(SelectionForm):
    """One action on the requests staff ticked on the list: qualify them (with one
    purpose, or each with its company's own rationale), decline them with one reason, or
    give them one priority. Each goes through the service as when it is handled alone."""

    QUALIFY, DECLINE, PRIORITY = "qualify", "decline", "priority"

    action = forms.ChoiceField(
        label=_("Action"),
        choices=[
            (QUALIFY, _("Qualify")),
            (DECLINE, _("Decline with a reason")),
            (PRIORITY, _("Set the priority")),
        ],
    )
    purpose = forms.CharField(
        label=_("Purpose of the meetings"),
        required=False,
        max_length=300,
        help_text=_("Left empty: each request's purpose is its company's rationale."),
    )
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "maxlength": NOTE_MAX_LENGTH}),
        help_text=_("Each company reads it on its meetings page."),
    )
    priority = forms.TypedChoiceField(
        label=_("Priority"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[*BLANK_CHOICE_DASH, *PRIORITY_CHOICES],
    )

    def clean(self):
        data = super().clean()
        action = data.get("action")
        if action == self.DECLINE and not (data.get("reason") or "").strip():
            self.add_error(
                "reason", _("Give the companies the reason why the meetings are declined.")
            )
        if action == self.PRIORITY and data.get("priority") is None:
            self.add_error("priority", _("Choose the priority."))
        return data


# B2B meetings: the counterpart's answer and feedback, the outcome ----------------------

RATING_CHOICES = [(rating, str(rating)) for rating in range(1, 6)]


class MeetingAnswerForm(forms.Form):
    """The counterpart's optional message with its answer; the length is the service's
    to check (``meeting_respond``)."""

    note = forms.CharField(
        label=_("Message to the company and the city's team (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": 2000}),
    )


def _rating_field(label):
    return forms.TypedChoiceField(
        label=label,
        choices=RATING_CHOICES,
        coerce=int,
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
        help_text=_("1 = not useful, 5 = very useful."),
    )


class CounterpartFeedbackForm(forms.Form):
    """The counterpart's rating and comment; the service says what is required."""

    counterpart_rating = _rating_field(_("How useful was this meeting?"))
    comment = forms.CharField(
        label=_("Comment (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": 2000}),
    )


class MeetingOutcomeForm(forms.Form):
    """What one side records of a meeting: the company's fields, the counterpart's
    rating, and for staff whether the meeting was held. Ranges are the service's to
    check (``meeting_record_outcome``), so its messages sit by their field."""

    def __init__(self, *args, company_side: bool, counterpart_side: bool, staff: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if staff:
            self.fields["status"] = forms.ChoiceField(
                label=_("Did the meeting take place?"),
                choices=[
                    ("", _("Not recorded yet")),
                    (MeetingStatus.HELD, MeetingStatus.HELD.label),
                    (MeetingStatus.NO_SHOW, MeetingStatus.NO_SHOW.label),
                ],
                required=False,
            )
        if company_side:
            self.fields["company_rating"] = _rating_field(_("The company's rating"))
            self.fields["follow_up_stage"] = forms.ChoiceField(
                label=_("Follow-up"),
                choices=BLANK_CHOICE_DASH + list(FollowUpStage.choices),
                required=False,
            )
            self.fields["leads"] = IntegerField(
                label=_("Leads"),
                max_value=100_000,
                required=False,
                help_text=_("Contacts or opportunities this meeting brought."),
                widget=forms.NumberInput(attrs={"min": 0}),
            )
            self.fields["estimated_value"] = forms.DecimalField(
                label=_("Estimated value (€)"),
                required=False,
                max_digits=12,
                decimal_places=2,
                help_text=_("The business this meeting may bring, in euros."),
                widget=forms.NumberInput(attrs={"min": 0, "step": "0.01"}),
            )
        if counterpart_side:
            self.fields["counterpart_rating"] = _rating_field(_("The counterpart's rating"))


# The meeting grid ---------------------------------------------------------------------


class GridSessionForm(forms.Form):
    """One session of the grid, in destination time. A row left empty is ignored."""

    date = DateField(
        label=_("Date"),
        required=False,
        widget=forms.DateInput(
            attrs={"type": "date", "class": "form-control form-control-sm"}, format="%Y-%m-%d"
        ),
    )
    start = forms.TimeField(
        label=_("Start"),
        required=False,
        widget=forms.TimeInput(
            attrs={"type": "time", "class": "form-control form-control-sm"}, format="%H:%M"
        ),
    )
    end = forms.TimeField(
        label=_("End"),
        required=False,
        widget=forms.TimeInput(
            attrs={"type": "time", "class": "form-control form-control-sm"}, format="%H:%M"
        ),
    )

    def clean(self):
        cleaned = super().clean()
        given = [name for name in ("date", "start", "end") if cleaned.get(name)]
        if given and len(given) < 3 and not self.errors:
            for name in ("date", "start", "end"):
                if not cleaned.get(name):
                    self.add_error(name, _("Give the date, the start and the end."))
        return cleaned

    @property
    def is_blank(self) -> bool:
        data = getattr(self, "cleaned_data", {})
        return not any(data.get(name) for name in ("date", "start", "end"))


GridSessionFormSet = forms.formset_factory(GridSessionForm, extra=2, max_num=40, absolute_max=60)


class GridForm(forms.Form):
    slot_minutes = IntegerField(
        label=_("Slot length (minutes)"),
        max_value=24 * 60,
        widget=forms.NumberInput(attrs={"min": 5, "step": 5}),
        help_text=_("A multiple of 5 minutes, e.g. 20 or 30."),
    )
    tables = IntegerField(
        label=_("Tables"),
        max_value=1000,
        widget=forms.NumberInput(attrs={"min": 1}),
        help_text=_("How many meetings can take place at once."),
    )
    venue = forms.CharField(
        label=_("Venue"),
        required=False,
        max_length=300,
        help_text=_(
            "Where the meetings take place, e.g. MaRS Discovery District, Toronto. Left "
            "empty, the invitations and agendas give the mission's first city."
        ),
    )


class MeetingMoveForm(forms.Form):
    """Where to move a meeting: a slot of its grid (labelled in destination time) and a
    table. The service says what is in the way."""

    slot = forms.TypedChoiceField(label=_("Slot"), coerce=int)
    table = IntegerField(label=_("Table"), min_value=1)

    def __init__(self, *args, slot_choices, tables: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["slot"].choices = slot_choices
        self.fields["table"].max_value = tables
        self.fields["table"].widget.attrs.update(min=1, max=tables)
        self.fields["table"].validators = []


class ScheduleRunForm(forms.Form):
    """What a run of the scheduler maximises."""

    objective = forms.ChoiceField(
        label=_("What the scheduler puts first"),
        choices=[
            (PRIORITY, _("Most priority: the most important meetings first")),
            (
                BALANCED,
                _(
                    "Balanced: first as many meetings as possible for the company that has "
                    "fewest, then the most important ones"
                ),
            ),
        ],
        initial=PRIORITY,
        widget=forms.RadioSelect,
        required=False,  # left out: most priority, as before there was a choice
    )
    counterpart_floor = forms.BooleanField(
        label=_("Balanced for the counterparts too"),
        help_text=_(
            "Also as many meetings as possible for the counterpart that has fewest, so that "
            "the most sought-after ones do not take all the companies' time."
        ),
        required=False,
    )

    def clean_objective(self):
        return self.cleaned_data["objective"] or PRIORITY

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("counterpart_floor") and cleaned.get("objective") != BALANCED:
            self.add_error(
                "counterpart_floor", _("Choose the balanced objective to balance counterparts.")
            )
        return cleaned
