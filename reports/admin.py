from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from core.admin_logs import ReadOnlyLogAdminMixin, ReadOnlyLogInline
from reports.models import MissionReport, ReportStatusChange


class ReportStatusChangeInline(ReadOnlyLogInline):
    model = ReportStatusChange
    fields = ("from_status", "to_status", "comment", "changed_by", "changed_at")
    verbose_name_plural = _("review history")


@admin.register(MissionReport)
class MissionReportAdmin(admin.ModelAdmin):
    list_display = (
        "mission",
        "status",
        "submitted_at",
        "reviewed_by",
        "reviewed_at",
        "updated_at",
    )
    list_filter = ("status",)
    list_select_related = ("mission", "reviewed_by")
    search_fields = ("mission__title", "narrative")
    autocomplete_fields = ("mission", "reviewed_by")
    readonly_fields = ("updated_at",)
    inlines = (ReportStatusChangeInline,)


@admin.register(ReportStatusChange)
class ReportStatusChangeAdmin(ReadOnlyLogAdminMixin, admin.ModelAdmin):
    list_display = ("report", "from_status", "to_status", "changed_by", "changed_at")
    list_filter = ("to_status", "from_status")
    list_select_related = ("report__mission", "changed_by")
    search_fields = ("report__mission__title", "comment", "changed_by__email")
    date_hierarchy = "changed_at"
