from django import forms
from django.utils.translation import gettext_lazy as _

from core.bulk import SelectionForm
from core.forms import IntegerField
from delegations.enums import ApplicationStatus
from delegations.models import Application
from delegations.services import ANSWER_MAX_LENGTH


class ApplicationForm(forms.ModelForm):
    """The company's answers. Nothing is required to save a draft; the service says
    what is missing when the company submits."""

    class Meta:
        model = Application
        fields = ["objectives", "products", "counterparts_sought", "contact_language", "delegates"]
        widgets = {"delegates": forms.CheckboxSelectMultiple}
        help_texts = {
            "objectives": _(
                "What your company wants to achieve in this market. Required to submit."
            ),
            "products": _("The products or services you will present. Required to submit."),
            "counterparts_sought": _("Investors, buyers, distributors, partners..."),
            "contact_language": _("The language the counterparts should write to you in."),
        }

    def __init__(self, *args, company, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("objectives", "products", "counterparts_sought"):
            field = self.fields[name]
            field.max_length = ANSWER_MAX_LENGTH
            field.widget.attrs.update(rows=4, maxlength=ANSWER_MAX_LENGTH)
        delegates = self.fields["delegates"]
        delegates.queryset = company.contacts.order_by("last_name", "first_name", "pk")
        delegates.help_text = _("The people of your company who would travel.")


class AssessmentForm(forms.Form):
    """Staff's internal score and notes; the company never sees them. The range and
    length are the service's to check (``application_assess``): the browser is only
    told them."""

    internal_score = IntegerField(
        label=_("Internal score"),
        required=False,
        widget=forms.NumberInput(attrs={"min": 0, "max": 10}),
        help_text=_("0 to 10, seen by staff only. Leave it empty for no score."),
    )
    internal_notes = forms.CharField(
        label=_("Internal notes"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5, "maxlength": ANSWER_MAX_LENGTH * 2}),
        help_text=_("Seen by staff only."),
    )


class ApplicationBulkForm(SelectionForm):
    """One decision for the applications staff ticked on the review list, taken in the
    list's order (the best scored first when sorted so), each as on its own page."""

    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            (ApplicationStatus.ACCEPTED, _("Accept")),
            (ApplicationStatus.WAITLISTED, _("Waiting list")),
            (ApplicationStatus.REJECTED, _("Not selected")),
        ],
    )
