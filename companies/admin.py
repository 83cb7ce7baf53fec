from django.contrib import admin
from django.db import models
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from companies.models import Company, CompanyMembership, Contact
from core.history_admin import AuditedAdmin


class ContactInline(admin.TabularInline):
    model = Contact
    extra = 0
    fields = ("first_name", "last_name", "job_title", "email", "phone", "language")


class CompanyMembershipInline(admin.TabularInline):
    model = CompanyMembership
    extra = 0
    fields = ("user", "role", "status", "created_at")
    readonly_fields = ("created_at",)
    autocomplete_fields = ("user",)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("user")


@admin.register(Company)
class CompanyAdmin(AuditedAdmin):
    list_display = (
        "name",
        "siret",
        "city",
        "size",
        "verified",
        "invitations_opt_in",
        "member_count",
        "created_at",
    )
    list_filter = ("verified", "size", "sectors", "invitations_opt_in", "city")
    search_fields = ("name", "siret", "city", "website")
    date_hierarchy = "created_at"
    filter_horizontal = ("sectors",)
    autocomplete_fields = ("verified_by",)
    readonly_fields = ("created_at",)
    inlines = (CompanyMembershipInline, ContactInline)
    # Explicit, because a GROUP BY query (the members count) drops Meta.ordering.
    ordering = Company._meta.ordering
    # A website typed without a scheme is an https one (Django 6 default).
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    fieldsets = (
        (None, {"fields": ("name", "siret", "size", "city", "website", "sectors")}),
        (_("Profile"), {"fields": ("description", "export_experience", "invitations_opt_in")}),
        (_("Verification"), {"fields": ("verified", "verified_at", "verified_by", "created_at")}),
    )

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(member_count=Count("memberships", distinct=True))
        )

    @admin.display(description=_("members"), ordering="member_count")
    def member_count(self, company):
        return company.member_count


@admin.register(CompanyMembership)
class CompanyMembershipAdmin(admin.ModelAdmin):
    list_display = ("user", "user_email", "company", "role", "status", "created_at")
    list_filter = ("status", "role")
    list_select_related = ("user", "company")
    search_fields = ("user__email", "user__first_name", "user__last_name", "company__name")
    autocomplete_fields = ("user", "company")
    readonly_fields = ("created_at",)

    @admin.display(description=_("email address"), ordering="user__email")
    def user_email(self, membership):
        return membership.user.email


@admin.register(Contact)
class ContactAdmin(AuditedAdmin):
    list_display = ("last_name", "first_name", "company", "job_title", "email", "language")
    list_filter = ("language",)
    list_select_related = ("company",)
    search_fields = ("first_name", "last_name", "email", "company__name")
    autocomplete_fields = ("company",)
