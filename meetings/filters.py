
import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy

from meetings.enums import CounterpartKind, MeetingRequestStatus, RequestOrigin
from meetings.models import Counterpart, MeetingRequest
from missions.models import Sector


class CounterpartFilter(django_filters.FilterSet):
    """The counterparts list's search and filters."""

    search = django_filters.CharFilter(
        method="filter_search",
        label=gettext_lazy("Search"),
        help_text=gettext_lazy("In the organisation, the city and the contact person."),
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    kind = django_filters.ChoiceFilter(
        choices=CounterpartKind.choices,
        label=gettext_lazy("Kind"),
        empty_label=gettext_lazy("All kinds"),
    )
    sector = django_filters.ModelChoiceFilter(
        field_name="sectors",
        queryset=Sector.objects.all(),
        label=gettext_lazy("Sector"),
        empty_label=gettext_lazy("All sectors"),
    )

    class Meta:
        model = Counterpart
        fields = ["search", "kind", "sector"]

    def filter_search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(
            Q(organisation__icontains=value)
            | Q(city__icontains=value)
            | Q(contact_name__icontains=value)
        )

    @property
    def filtered(self) -> bool:
        self.errors  # noqa: B018 - validates the form, as ``qs`` does
        return any(value not in (None, "") for value in self.form.cleaned_data.values())


PRIORITY_CHOICES = [
    (3, gettext_lazy("3 = essential")),
    (2, gettext_lazy("2 = important")),
    (1, gettext_lazy("1 = nice to have")),
]


class MeetingRequestFilter(django_filters.FilterSet):
    """The meeting requests list's filters. ``applications`` and ``counterparts`` (the
    mission's querysets) are offered as choices."""

    status = django_filters.ChoiceFilter(
        choices=MeetingRequestStatus.choices,
        label=gettext_lazy("Status"),
        empty_label=gettext_lazy("All statuses"),
    )
    application = django_filters.ChoiceFilter(
        choices=[],
        label=gettext_lazy("Company"),
        empty_label=gettext_lazy("All companies"),
    )
    counterpart = django_filters.ChoiceFilter(
        choices=[],
        label=gettext_lazy("Counterpart"),
        empty_label=gettext_lazy("All counterparts"),
    )
    priority = django_filters.ChoiceFilter(
        choices=PRIORITY_CHOICES,
        label=gettext_lazy("Priority"),
        empty_label=gettext_lazy("All priorities"),
    )
    origin = django_filters.ChoiceFilter(
        choices=RequestOrigin.choices,
        label=gettext_lazy("Origin"),
        empty_label=gettext_lazy("All origins"),
    )

    class Meta:
        model = MeetingRequest
        fields = ["status", "application", "counterpart", "priority", "origin"]

    def __init__(self, *args, applications, counterparts, **kwargs):
        super().__init__(*args, **kwargs)
        # Read as (pk, name) pairs: at a trade fair's size, hundreds of options each, and
        # no model object built for them.
        self.filters["application"].extra["choices"] = list(
            applications.values_list("pk", "company__name")
        )
        self.filters["counterpart"].extra["choices"] = list(
            counterparts.values_list("pk", "organisation")
        )

    @property
    def filtered(self) -> bool:
        self.errors  # noqa: B018 - validates the form, as ``qs`` does
        return any(value not in (None, "") for value in self.form.cleaned_data.values())
