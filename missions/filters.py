"""The mission list's filters: year, status, sector, country, and a search."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from missions.enums import MissionStatus
from missions.models import Mission, Sector

# The year "filter value" of missions that have no dates yet.
UNDATED = "undated"


class MissionFilter(django_filters.FilterSet):
    year = django_filters.ChoiceFilter(
        method="filter_year", label=_("Year"), empty_label=_("All years")
    )
    status = django_filters.ChoiceFilter(
        choices=MissionStatus.choices, label=_("Status"), empty_label=_("All statuses")
    )
    sector = django_filters.ModelChoiceFilter(
        field_name="sectors",
        queryset=Sector.objects.all(),
        label=_("Sector"),
        empty_label=_("All sectors"),
    )
    country = django_filters.ChoiceFilter(label=_("Country"), empty_label=_("All countries"))
    search = django_filters.CharFilter(
        method="filter_search",
        label=_("Search"),
        help_text=_("In the title, the cities and the description."),
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )

    class Meta:
        model = Mission
        fields = ["year", "status", "sector", "country", "search"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Only years and countries that some mission has: one query each.
        years = [day.year for day in Mission.objects.dates("start_date", "year", order="DESC")]
        self.filters["year"].extra["choices"] = [(str(year), str(year)) for year in years] + [
            (UNDATED, _("Dates to be set"))
        ]
        codes = set(Mission.objects.order_by().values_list("country", flat=True).distinct())
        self.filters["country"].extra["choices"] = [
            (code, name) for code, name in countries if code in codes
        ]

    def filter_year(self, queryset, name, value):
        if value == UNDATED:
            return queryset.filter(start_date__isnull=True)
        return queryset.filter(start_date__year=int(value))

    def filter_search(self, queryset, name, value):
        return queryset.filter(
            Q(title__icontains=value)
            | Q(cities__icontains=value)
            | Q(description__icontains=value)
        )

    @property
    def filtered(self) -> bool:
        self.errors  # noqa: B018 - validates the form, as ``qs`` does
        return any(value not in (None, "") for value in self.form.cleaned_data.values())
