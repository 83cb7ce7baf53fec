"""The outbox's filters: what staff narrow the list of emails by."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils import formats
from django.utils.translation import gettext_lazy as _

from campaigns.models import Campaign
from campaigns.selectors import emails_of_mission
from missions.models import Mission
from notifications.kinds import KINDS, kind_label
from notifications.models import EmailStatus, OutboundEmail


class CampaignChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, campaign):
        started = formats.date_format(campaign.created_at, "SHORT_DATE_FORMAT")
        mission = campaign.mission.title if campaign.mission else "—"
        return f"{kind_label(campaign.kind)} — {mission} ({started})"


class CampaignChoiceFilter(django_filters.ModelChoiceFilter):
    field_class = CampaignChoiceField


class OutboxFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        choices=EmailStatus.choices, label=_("Status"), empty_label=_("All statuses")
    )
    kind = django_filters.ChoiceFilter(
        field_name="template_key",
        choices=[(key, kind.label) for key, kind in KINDS.items()],
        label=_("Kind"),
        empty_label=_("All kinds"),
    )
    mission = django_filters.ModelChoiceFilter(
        # The chosen one also draws the mission's workspace tabs (its slug and capacity).
        queryset=Mission.objects.only("pk", "title", "slug", "capacity"),
        method="filter_mission",
        label=_("Mission"),
        empty_label=_("All missions"),
    )
    campaign = CampaignChoiceFilter(
        queryset=Campaign.objects.select_related("mission").only(
            "pk", "kind", "created_at", "mission__title"
        ),
        label=_("Campaign"),
        empty_label=_("All campaigns"),
    )
    recipient = django_filters.CharFilter(
        method="filter_recipient",
        label=_("Recipient"),
        help_text=_("Part of the address or of the name; case does not matter."),
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )

    class Meta:
        model = OutboundEmail
        fields = ["status", "kind", "mission", "campaign", "recipient"]

    def filter_mission(self, queryset, name, value):
        return emails_of_mission(queryset, value)

    def filter_recipient(self, queryset, name, value):
        return queryset.filter(Q(recipient__icontains=value) | Q(recipient_name__icontains=value))

    def qs_for_counts(self):
        """The emails matching every filter but the status: what the counts are over.

        The counts then say what each status would show, and the status filter
        does not turn three of them into zeros.
        """
        self.errors  # noqa: B018 - validates the form, as ``qs`` does
        queryset = self.queryset.all()
        for name, value in self.form.cleaned_data.items():
            if name != "status":
                queryset = self.filters[name].filter(queryset, value)
        return queryset

    @property
    def narrowed(self) -> bool:
        """Whether a filter other than the status is in use."""
        self.errors  # noqa: B018
        return any(
            value not in (None, "")
            for name, value in self.form.cleaned_data.items()
            if name != "status"
        )
