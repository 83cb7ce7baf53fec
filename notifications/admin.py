from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from notifications.models import OutboundEmail


@admin.register(OutboundEmail)
class OutboundEmailAdmin(admin.ModelAdmin):
    list_display = (
        "recipient",
        "template_key",
        "language",
        "status",
        "attempts",
        "scheduled_at",
        "sent_at",
    )
    # Staff narrow by mission and campaign on the outbox's own page (/outbox/).
    list_filter = ("status", "language", "template_key")
    search_fields = ("recipient", "recipient_name", "template_key", "idempotency_key")
    date_hierarchy = "scheduled_at"
    # What was sent, and why, is the record: staff change only the delivery fields.
    readonly_fields = (
        "context",
        "idempotency_key",
        "related_type",
        "related_id",
        "topic_type",
        "topic_id",
        "mailing_type",
        "mailing_id",
        "created_at",
    )
    fieldsets = (
        (None, {"fields": ("recipient", "recipient_name", "language", "template_key")}),
        (
            _("Content"),
            {
                "fields": (
                    "context",
                    "related_type",
                    "related_id",
                    "topic_type",
                    "topic_id",
                    "mailing_type",
                    "mailing_id",
                    "idempotency_key",
                )
            },
        ),
        (
            _("Delivery"),
            {
                "fields": (
                    "status",
                    "attempts",
                    "last_error",
                    "scheduled_at",
                    "sent_at",
                    "created_at",
                )
            },
        ),
    )

    def has_add_permission(self, request):
        # Emails are written by the services, each with its idempotency key.
        return False
