"""The admin of the status logs: read, never written by hand (the services write them)."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _


class ReadOnlyLogAdminMixin:
    """A status-change log is written by the services only: staff read it, never edit it."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class ReadOnlyLogInline(ReadOnlyLogAdminMixin, admin.TabularInline):
    """A status log (from, to, by, at) under the object it records, read only."""

    fields = ("from_status", "to_status", "changed_by", "changed_at")
    verbose_name_plural = _("status history")
    extra = 0
    can_delete = False
    show_change_link = False

    def get_readonly_fields(self, request, obj=None):
        return self.fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("changed_by")

    def has_delete_permission(self, request, obj=None):
        return False

