from django import forms
from django.contrib import admin
from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _
from django_countries.filters import CountryFilter

from accounts.models import User
from accounts.rules import OFFICIALS_GROUP
from core.admin_logs import ReadOnlyLogAdminMixin, ReadOnlyLogInline
from missions.models import Mission, MissionStatusChange, ProgrammeItem, Sector


@admin.register(Sector)
class SectorAdmin(admin.ModelAdmin):
    list_display = ("name_fr", "name_en", "code", "is_excellence")
    list_filter = ("is_excellence",)
    search_fields = ("code", "name_fr", "name_en")
    prepopulated_fields = {"code": ("name_en",)}


class ProgrammeItemInline(admin.TabularInline):
    model = ProgrammeItem
    extra = 0
    fields = ("kind", "title", "city", "location", "starts_at", "ends_at")


class MissionStatusChangeInline(ReadOnlyLogInline):
    model = MissionStatusChange


class MissionAdminForm(forms.ModelForm):
    # No Meta: the admin builds the form for its model from its fieldsets.

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        officials = self.fields.get("officials")
        if officials is not None:
            # Offer the officials, not every account; keep those already named.
            chosen = Q(pk__in=self.instance.officials.all()) if self.instance.pk else Q()
            officials.queryset = (
                User.objects.filter(Q(groups__name=OFFICIALS_GROUP) | chosen)
                .distinct()
                .order_by("last_name", "first_name", "email")
            )


@admin.register(Mission)
class MissionAdmin(admin.ModelAdmin):
    form = MissionAdminForm
    list_display = (
        "title",
        "country",
        "start_date",
        "end_date",
        "status",
        "capacity",
        "application_count",
        "application_deadline",
    )
    list_filter = ("status", ("country", CountryFilter), "sectors")
    search_fields = ("title", "slug", "cities", "partners")
    date_hierarchy = "start_date"
    prepopulated_fields = {"slug": ("title",)}
    filter_horizontal = ("sectors", "officials")
    readonly_fields = ("created_at", "updated_at")
    inlines = (ProgrammeItemInline, MissionStatusChangeInline)
    # Explicit, because a GROUP BY query (the applications count) drops Meta.ordering.
    ordering = Mission._meta.ordering
    fieldsets = (
        (None, {"fields": ("title", "slug", "status", "summary")}),
        (
            _("Destination and dates"),
            {"fields": ("country", "cities", "timezone", "start_date", "end_date")},
        ),
        (
            _("Delegation"),
            {
                "fields": (
                    "sectors",
                    "capacity",
                    "applications_open_at",
                    "application_deadline",
                )
            },
        ),
        (
            _("Content"),
            {"fields": ("description", "objectives", "partners", "officials")},
        ),
        (_("Budget"), {"fields": ("budget_planned", "budget_actual")}),
        (_("History"), {"fields": ("created_at", "updated_at")}),
    )

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(application_count=Count("applications", distinct=True))
        )

    @admin.display(description=_("applications"), ordering="application_count")
    def application_count(self, mission):
        return mission.application_count


@admin.register(MissionStatusChange)
class MissionStatusChangeAdmin(ReadOnlyLogAdminMixin, admin.ModelAdmin):
    list_display = ("mission", "from_status", "to_status", "changed_by", "changed_at")
    list_filter = ("to_status", "from_status")
    list_select_related = ("mission", "changed_by")
    search_fields = ("mission__title", "changed_by__email", "changed_by__last_name")
    date_hierarchy = "changed_at"


@admin.register(ProgrammeItem)
class ProgrammeItemAdmin(admin.ModelAdmin):
    list_display = ("title", "mission", "kind", "city", "starts_at", "ends_at")
    list_filter = ("kind", "mission")
    list_select_related = ("mission",)
    search_fields = ("title", "city", "location", "mission__title")
    date_hierarchy = "starts_at"
    autocomplete_fields = ("mission",)
