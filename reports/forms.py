from django import forms
from django.utils.translation import gettext_lazy as _


class ReportForm(forms.Form):
    """The narrative of a mission's report; its length is the service's rule."""

    narrative = forms.CharField(
        label=_("Narrative"),
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 16}),
        help_text=_(
            "What the mission achieved, for the elected officials: at most 20,000 characters."
        ),
    )
