from django import forms
from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from core.admin_logs import ReadOnlyLogAdminMixin, ReadOnlyLogInline
from core.history_admin import AuditedAdmin
from meetings.models import (
    Counterpart,
    Meeting,
    MeetingChange,
    MeetingGrid,
    MeetingRequest,
    MeetingRequestStatusChange,
    MeetingSlot,
    Unavailability,
)


@admin.register(Counterpart)
class CounterpartAdmin(AuditedAdmin):
    list_display = ("organisation", "mission", "kind", "city", "contact_name", "email", "language")
    list_filter = ("kind", "language", "mission", "sectors")
    list_select_related = ("mission",)
    search_fields = ("organisation", "contact_name", "email", "city")
    autocomplete_fields = ("mission",)
    filter_horizontal = ("sectors",)


class MeetingRequestStatusChangeInline(ReadOnlyLogInline):
    model = MeetingRequestStatusChange


@admin.register(MeetingRequest)
class MeetingRequestAdmin(admin.ModelAdmin):
    list_display = (
        "company",
        "counterpart",
        "mission",
        "priority",
        "origin",
        "status",
        "created_at",
    )
    list_filter = ("status", "priority", "origin", "counterpart__mission")
    list_select_related = ("application__company", "application__mission", "counterpart")
    search_fields = (
        "application__company__name",
        "counterpart__organisation",
        "application__mission__title",
    )
    date_hierarchy = "created_at"
    autocomplete_fields = ("application", "counterpart", "created_by")
    readonly_fields = ("created_at",)
    inlines = (MeetingRequestStatusChangeInline,)

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("application__company", "application__mission", "counterpart")
        )

    @admin.display(description=_("company"), ordering="application__company__name")
    def company(self, meeting_request):
        return meeting_request.application.company

    @admin.display(description=_("mission"), ordering="application__mission__title")
    def mission(self, meeting_request):
        return meeting_request.application.mission


@admin.register(MeetingRequestStatusChange)
class MeetingRequestStatusChangeAdmin(ReadOnlyLogAdminMixin, admin.ModelAdmin):
    list_display = ("request", "from_status", "to_status", "changed_by", "changed_at")
    list_filter = ("to_status", "from_status")
    list_select_related = (
        "request__application__company",
        "request__counterpart",
        "changed_by",
    )
    search_fields = (
        "request__application__company__name",
        "request__counterpart__organisation",
        "request__application__mission__title",
        "changed_by__email",
    )
    date_hierarchy = "changed_at"


class MeetingSlotInline(admin.TabularInline):
    model = MeetingSlot
    extra = 0
    fields = ("starts_at", "ends_at")


@admin.register(MeetingGrid)
class MeetingGridAdmin(admin.ModelAdmin):
    list_display = ("mission", "slot_minutes", "tables", "slot_count")
    list_select_related = ("mission",)
    search_fields = ("mission__title",)
    autocomplete_fields = ("mission",)
    inlines = (MeetingSlotInline,)
    ordering = ("mission__start_date", "mission__title")

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("mission")
            .annotate(slot_count=Count("slots", distinct=True))
        )

    @admin.display(description=_("slots"), ordering="slot_count")
    def slot_count(self, grid):
        return grid.slot_count


@admin.register(MeetingSlot)
class MeetingSlotAdmin(admin.ModelAdmin):
    list_display = ("starts_at", "ends_at", "mission")
    list_filter = ("grid__mission",)
    list_select_related = ("grid__mission",)
    search_fields = ("grid__mission__title",)
    date_hierarchy = "starts_at"
    autocomplete_fields = ("grid",)

    @admin.display(description=_("mission"), ordering="grid__mission__title")
    def mission(self, slot):
        return slot.grid.mission


@admin.register(Unavailability)
class UnavailabilityAdmin(admin.ModelAdmin):
    list_display = ("slot", "application", "counterpart")
    list_filter = ("slot__grid__mission",)
    list_select_related = (
        "slot",
        "application__company",
        "application__mission",
        "counterpart",
    )
    search_fields = ("application__company__name", "counterpart__organisation")
    autocomplete_fields = ("slot", "application", "counterpart")


class MeetingAdminForm(forms.ModelForm):
    # No Meta: the admin builds the form for its model from its fieldsets.

    def clean(self):
        cleaned_data = super().clean()
        request = cleaned_data.get("request")
        if request is not None:
            # The copies exist for the database constraints; they must match the request.
            for name in ("application", "counterpart"):
                value = cleaned_data.get(name)
                if value is not None and value.pk != getattr(request, f"{name}_id"):
                    self.add_error(name, _("This must match the meeting request."))
        return cleaned_data


class MeetingChangeInline(ReadOnlyLogInline):
    model = MeetingChange
    fields = ("action", "from_status", "to_status", "detail", "changed_by", "changed_at")
    verbose_name_plural = _("history")


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    form = MeetingAdminForm
    list_display = (
        "slot_start",
        "table",
        "company",
        "counterpart",
        "mission",
        "status",
        "locked",
        "follow_up_stage",
    )
    list_filter = ("status", "locked", "follow_up_stage", "application__mission")
    list_select_related = (
        "slot",
        "application__company",
        "application__mission",
        "counterpart",
        # __str__, which labels each row's checkbox, names the request's parties.
        "request__application__company",
        "request__counterpart",
    )
    search_fields = ("application__company__name", "counterpart__organisation")
    date_hierarchy = "slot__starts_at"
    autocomplete_fields = ("request", "slot", "application", "counterpart")
    readonly_fields = ("created_at",)
    inlines = (MeetingChangeInline,)
    fieldsets = (
        (None, {"fields": ("request", "application", "counterpart")}),
        (_("Place"), {"fields": ("slot", "table", "status", "locked")}),
        (
            _("Outcome"),
            {
                "fields": (
                    "company_rating",
                    "counterpart_rating",
                    "follow_up_stage",
                    "leads",
                    "estimated_value",
                    "created_at",
                )
            },
        ),
    )

    @admin.display(description=_("slot"), ordering="slot__starts_at")
    def slot_start(self, meeting):
        return meeting.slot

    @admin.display(description=_("company"), ordering="application__company__name")
    def company(self, meeting):
        return meeting.application.company

    @admin.display(description=_("mission"), ordering="application__mission__title")
    def mission(self, meeting):
        return meeting.application.mission


@admin.register(MeetingChange)
class MeetingChangeAdmin(ReadOnlyLogAdminMixin, admin.ModelAdmin):
    list_display = (
        "meeting_label",
        "action",
        "from_status",
        "to_status",
        "changed_by",
        "changed_at",
    )
    list_filter = ("action", "to_status")
    list_select_related = (
        "meeting__application__company",
        "meeting__counterpart",
        "changed_by",
    )
    search_fields = (
        "meeting__application__company__name",
        "meeting__counterpart__organisation",
        "detail",
        "changed_by__email",
    )
    date_hierarchy = "changed_at"

    @admin.display(description=_("meeting"), ordering="meeting__slot__starts_at")
    def meeting_label(self, change):
        meeting = change.meeting
        return f"{meeting.application.company} ↔ {meeting.counterpart}"
