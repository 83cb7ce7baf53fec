"""The form that starts a call for applications and chooses its audience."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from companies.models import CompanySize
from missions.enums import MissionStatus
from missions.models import Mission, Sector

# Missions a call may still be about; the others are over.
FINISHED = [
    MissionStatus.IN_PROGRESS,
    MissionStatus.COMPLETED,
    MissionStatus.REPORTED,
    MissionStatus.CANCELLED,
]


def mission_call_problems(mission: Mission) -> list[str]:
    """Why a call for applications cannot go out for this mission yet (empty: it can).

    The email gives the dates and the deadline, and links to the mission's page,
    which companies only see while the mission is open.
    """
    problems = []
    if mission.start_date is None or mission.end_date is None:
        problems.append(_("The mission has no dates yet: set its start and end dates first."))
    if mission.application_deadline is None:
        problems.append(_("The mission has no application deadline yet: set it first."))
    elif mission.application_deadline <= timezone.now():
        problems.append(_("The mission's application deadline has passed."))
    if mission.status != MissionStatus.OPEN:
        problems.append(
            _(
                "The mission is not open for applications: companies could not see the "
                "page the email links to. Open it first."
            )
        )
    return problems


class CampaignStartForm(forms.Form):
    mission = forms.ModelChoiceField(
        queryset=Mission.objects.exclude(status__in=FINISHED),
        to_field_name="slug",
        label=_("Mission"),
        empty_label=_("Choose a mission"),
        error_messages={"invalid_choice": _("This mission does not exist or is over.")},
    )
    sectors = forms.ModelMultipleChoiceField(
        queryset=Sector.objects.all(),
        to_field_name="code",
        widget=forms.CheckboxSelectMultiple,
        label=_("Sectors"),
        help_text=_(
            "The call goes to the members of verified companies that work in at least one "
            "of these sectors and accept calls for applications."
        ),
        error_messages={"required": _("Choose at least one sector.")},
    )
    sizes = forms.MultipleChoiceField(
        choices=CompanySize.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Company sizes"),
        help_text=_("Leave empty to reach companies of every size."),
    )
    city = forms.CharField(
        max_length=100,
        required=False,
        label=_("City"),
        help_text=_("Only companies based in this city (Marseille, Aubagne…); empty for all."),
    )

    def clean_mission(self):
        mission = self.cleaned_data["mission"]
        problems = mission_call_problems(mission)
        if problems:
            raise ValidationError(problems)
        return mission
