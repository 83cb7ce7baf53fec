from django import forms
from django.utils.translation import gettext_lazy as _

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
