"""The audit trail in the Django admin (see ``core.history``)."""

from simple_history.admin import SimpleHistoryAdmin

from core.history import VIA_ADMIN, history_author, history_record


class AuditedAdmin(SimpleHistoryAdmin):
    """simple-history's admin (a History page per object, reverting disabled in the
    settings), writing one row per saved object, its many-to-many fields and its
    inlines' objects included, with the admin's user and ``VIA_ADMIN``."""

    def save_model(self, request, obj, form, change):
        # The row is written once the many-to-many fields are saved (save_related).
        obj.skip_history_when_saving = True
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        obj = form.instance
        del obj.skip_history_when_saving
        history_record(obj, by=request.user, via=VIA_ADMIN, created=not change)

    def save_formset(self, request, form, formset, change):
        for obj in formset.save(commit=False):
            history_author(obj, by=request.user, via=VIA_ADMIN)
            obj.save()
        for obj in formset.deleted_objects:
            history_author(obj, by=request.user, via=VIA_ADMIN)
            obj.delete()
        formset.save_m2m()

    def delete_model(self, request, obj):
        history_author(obj, by=request.user, via=VIA_ADMIN)
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)
