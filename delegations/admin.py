from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from companies.models import Contact
from core.admin_logs import ReadOnlyLogAdminMixin, ReadOnlyLogInline
from delegations.models import Application, ApplicationStatusChange


class ApplicationStatusChangeInline(ReadOnlyLogInline):
    model = ApplicationStatusChange


class ApplicationAdminForm(forms.ModelForm):
    # No Meta: the admin builds the form for its model from its fieldsets.

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        delegates = self.fields.get("delegates")
        if delegates is not None:
            # Delegates are people of the applying company, chosen once it is known.
            delegates.queryset = (
                Contact.objects.filter(company_id=self.instance.company_id)
                if self.instance.company_id
                else Contact.objects.none()
            )
            delegates.help_text = _(
                "Contacts of the applying company, offered once the application is saved."
            )


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin):
    form = ApplicationAdminForm
    list_display = (
        "company",
        "mission",
        "status",
        "internal_score",
        "announced_status",
        "submitted_at",
        "decided_at",
        "contact_language",
    )
    list_filter = (
        "status",
        "announced_status",
        "mission",
        "contact_language",
        "company__verified",
    )
    list_select_related = ("company", "mission")
    search_fields = ("company__name", "company__siret", "mission__title")
    date_hierarchy = "submitted_at"
    autocomplete_fields = ("mission", "company", "decided_by", "created_by")
    filter_horizontal = ("delegates",)
    readonly_fields = ("created_at", "updated_at")
    inlines = (ApplicationStatusChangeInline,)
    fieldsets = (
        (None, {"fields": ("mission", "company", "status", "contact_language")}),
        (
            _("Answers"),
            {"fields": ("objectives", "products", "counterparts_sought", "delegates")},
        ),
        (
            _("Staff only"),
            {
                "fields": (
                    "internal_score",
                    "internal_notes",
                    "decided_at",
                    "decided_by",
                    "announced_status",
                    "announced_at",
                    "seat_confirm_by",
                )
            },
        ),
        (
            _("History"),
            {"fields": ("submitted_at", "created_by", "created_at", "updated_at")},
        ),
    )

    # Statuses change through the review pages, which keep the history, the seats and
    # the emails right; here they are read only once the application exists.
    LIFECYCLE_FIELDS = (
        "status",
        "announced_status",
        "announced_at",
        "seat_confirm_by",
        "decided_at",
        "decided_by",
        "submitted_at",
    )

    def get_readonly_fields(self, request, obj=None):
        readonly = super().get_readonly_fields(request, obj)
        return (*readonly, *self.LIFECYCLE_FIELDS) if obj else readonly

    def get_queryset(self, request):
        # __str__ names the company and the mission: the autocomplete and delete
        # pages list applications too.
        return super().get_queryset(request).select_related("company", "mission")


@admin.register(ApplicationStatusChange)
class ApplicationStatusChangeAdmin(ReadOnlyLogAdminMixin, admin.ModelAdmin):
    list_display = ("application", "from_status", "to_status", "changed_by", "changed_at")
    list_filter = ("to_status", "from_status")
    list_select_related = ("application__company", "application__mission", "changed_by")
    search_fields = (
        "application__company__name",
        "application__mission__title",
        "changed_by__email",
    )
    date_hierarchy = "changed_at"
