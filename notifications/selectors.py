"""Reads of the outbox shared by its staff pages, with their query counts decided here."""

from django.db.models import Count, Q, QuerySet

from notifications.models import Campaign, CampaignStatus, EmailStatus, OutboundEmail


def outbox_emails() -> QuerySet[OutboundEmail]:
    """Every email of the outbox, newest first, with its mission in the same query."""
    return OutboundEmail.objects.select_related("mission").order_by("-created_at", "-pk")


def email_counts(emails: QuerySet[OutboundEmail]) -> dict[str, int]:
    """The count of each status among ``emails`` and their total, in one query."""
    counts = emails.order_by().aggregate(
        **{status: Count("pk", filter=Q(status=status)) for status in EmailStatus.values}
    )
    counts["total"] = sum(counts.values())
    return counts


def campaigns_with_mission() -> QuerySet[Campaign]:
    return Campaign.objects.select_related("mission", "created_by")


def campaign_progress(campaign: Campaign) -> dict:
    """Where a campaign stands: its emails by status, and whether it is all over.

    It is over when every email is written and none waits to be sent; a failed
    email is over too (staff may resend it from the outbox).
    """
    counts = email_counts(OutboundEmail.objects.filter(campaign=campaign))
    done = counts[EmailStatus.SENT] + counts[EmailStatus.FAILED]
    return {
        "status": campaign.status,
        "status_label": str(campaign.get_status_display()),
        "recipients": counts["total"],
        **{status: counts[status] for status in EmailStatus.values},
        "percent": round(100 * done / counts["total"]) if counts["total"] else 0,
        "finished": campaign.status == CampaignStatus.WRITTEN and done == counts["total"],
    }


def mission_calls(mission) -> QuerySet[Campaign]:
    """The calls for applications of a mission, newest first, each with its emails
    counted by status (``written``, ``queued`` (and sending), ``sent``, ``failed``):
    one query, however many calls there are."""
    waiting = [EmailStatus.QUEUED, EmailStatus.SENDING]
    return (
        Campaign.objects.filter(mission=mission, kind="call_for_applications")
        .select_related("created_by")
        .annotate(
            written=Count("emails"),
            queued=Count("emails", filter=Q(emails__status__in=waiting)),
            sent=Count("emails", filter=Q(emails__status=EmailStatus.SENT)),
            failed=Count("emails", filter=Q(emails__status=EmailStatus.FAILED)),
        )
        .order_by("-created_at", "-pk")
    )
