"""The company directory's filters: a search, sector, size, city and verification."""

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from companies.models import Company, CompanyMembership, CompanySize, Contact
from missions.models import Sector


class CompanyFilter(django_filters.FilterSet):
    search = django_filters.CharFilter(
        method="filter_search",
        label=_("Search"),
        help_text=_("In the name, the city, the SIRET and the emails of members and contacts."),
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    sector = django_filters.ModelChoiceFilter(
        field_name="sectors",
        queryset=Sector.objects.all(),
        label=_("Sector"),
        empty_label=_("All sectors"),
    )
    size = django_filters.ChoiceFilter(
        choices=CompanySize.choices, label=_("Size"), empty_label=_("All sizes")
    )
    city = django_filters.ChoiceFilter(label=_("City"), empty_label=_("All cities"))
    verified = django_filters.ChoiceFilter(
        method="filter_verified",
        label=_("Verification"),
        empty_label=_("Verified or not"),
        choices=[("yes", _("Verified")), ("no", _("Awaiting verification"))],
    )

    class Meta:
        model = Company
        fields = ["search", "sector", "size", "city", "verified"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Only the cities some company is in: one query.
        cities = (
            Company.objects.exclude(city="")
            .order_by("city")
            .values_list("city", flat=True)
            .distinct()
        )
        self.filters["city"].extra["choices"] = [(city, city) for city in cities]

    def filter_search(self, queryset, name, value):
        value = value.strip()
        digits = "".join(value.split())
        # EXISTS rather than joins: a company found through two emails stays one row.
        members = CompanyMembership.objects.filter(
            company=OuterRef("pk"), user__email__icontains=value
        )
        contacts = Contact.objects.filter(company=OuterRef("pk"), email__icontains=value)
        condition = (
            Q(name__icontains=value)
            | Q(city__icontains=value)
            | Exists(members)
            | Exists(contacts)
        )
        if digits.isdigit():
            condition |= Q(siret__contains=digits)
        return queryset.filter(condition)

    def filter_verified(self, queryset, name, value):
        return queryset.filter(verified=value == "yes")

    @property
    def filtered(self) -> bool:
        self.errors  # noqa: B018 - validates the form, as ``qs`` does
        return any(value not in (None, "") for value in self.form.cleaned_data.values())
