"""The filters of staff's lists: a mission's applications to review, its counterparts,
its meeting requests."""

import django_filters
from django import forms
from django.db.models import F, Q
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy

from companies.models import CompanySize
from delegations.enums import DECISIONS
from delegations.models import Application
from delegations.selectors import REVIEW_STATUS_ORDER
from missions.models import Sector

# The orders staff may sort the list in: the ``sort`` parameter is looked up here, so
# nothing else reaches ``order_by``. Ties fall back to the submission, then the row.
SORTS = {
    "status": ("status_rank", F("submitted_at").asc(nulls_last=True), "pk"),
    "score": (
        F("internal_score").desc(nulls_last=True),
        F("submitted_at").asc(nulls_last=True),
        "pk",
    ),
    "submitted": (F("submitted_at").asc(nulls_last=True), "pk"),
    "-submitted": (F("submitted_at").desc(nulls_last=True), "-pk"),
    "company": (Lower("company__name"), "pk"),
}
SORT_LABELS = [
    ("status", gettext_lazy("Status")),
    ("score", gettext_lazy("Internal score, best first")),
    ("submitted", gettext_lazy("Submission date, oldest first")),
    ("-submitted", gettext_lazy("Submission date, newest first")),
    ("company", gettext_lazy("Company name")),
]


class ReviewFilter(django_filters.FilterSet):
    """The review list's filters and its sort order."""

    search = django_filters.CharFilter(
        method="filter_search",
        label=gettext_lazy("Search"),
        help_text=gettext_lazy("In the company's name and city."),
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    status = django_filters.ChoiceFilter(
        choices=[(status.value, status.label) for status in REVIEW_STATUS_ORDER],
        label=gettext_lazy("Status"),
        empty_label=gettext_lazy("All statuses"),
    )
    pending = django_filters.BooleanFilter(
        method="filter_pending",
        label=gettext_lazy("Decision not yet announced"),
        widget=forms.CheckboxInput,
    )
    sector = django_filters.ModelChoiceFilter(
        field_name="company__sectors",
        queryset=Sector.objects.all(),
        label=gettext_lazy("Sector"),
        empty_label=gettext_lazy("All sectors"),
    )
    size = django_filters.ChoiceFilter(
        field_name="company__size",
        choices=CompanySize.choices,
        label=gettext_lazy("Size"),
        empty_label=gettext_lazy("All sizes"),
    )
    verified = django_filters.ChoiceFilter(
        method="filter_verified",
        label=gettext_lazy("Verification"),
        empty_label=gettext_lazy("Verified or not"),
        choices=[("yes", gettext_lazy("Verified")), ("no", gettext_lazy("Awaiting verification"))],
    )
    sort = django_filters.ChoiceFilter(
        method="filter_sort",
        choices=SORT_LABELS,
        label=gettext_lazy("Sort by"),
        empty_label=None,
    )

    class Meta:
        model = Application
        fields = ["search", "status", "pending", "sector", "size", "verified", "sort"]

    def filter_search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(
            Q(company__name__icontains=value) | Q(company__city__icontains=value)
        )

    def filter_pending(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(status__in=DECISIONS).exclude(announced_status=F("status"))

    def filter_verified(self, queryset, name, value):
        return queryset.filter(company__verified=value == "yes")

    def filter_sort(self, queryset, name, value):
        return queryset.order_by(*SORTS[value])

    @property
    def current_sort(self) -> str:
        self.errors  # noqa: B018 - validates the form, as ``qs`` does
        return self.form.cleaned_data.get("sort") or "status"

    @property
    def filtered(self) -> bool:
        self.errors  # noqa: B018 - validates the form, as ``qs`` does
        return any(
            value not in (None, "", False)
            for name, value in self.form.cleaned_data.items()
            if name != "sort"
        )
