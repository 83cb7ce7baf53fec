"""Reads of the staff's outbox pages and of the campaigns, with their query counts decided
here."""

from django.db.models import Case, Count, OuterRef, Q, QuerySet, Subquery, When

from campaigns.audiences import CALL_FOR_APPLICATIONS
from campaigns.models import Campaign, CampaignStatus
from missions.models import Mission
from notifications.models import EmailStatus, OutboundEmail
from notifications.selectors import email_counts, outbox_emails, refers_to


def outbox_emails_with_mission() -> QuerySet[OutboundEmail]:
    """Every email of the outbox, newest first, with the title and slug of the mission it
    is filed under (``mission_title``, ``mission_slug``; None for none), in one query."""
    mission = Mission.objects.filter(pk=OuterRef("topic_id"))
    about_a_mission = refers_to("topic", Mission)
    return outbox_emails().annotate(
        mission_title=Case(When(about_a_mission, then=Subquery(mission.values("title")))),
        mission_slug=Case(When(about_a_mission, then=Subquery(mission.values("slug")))),
    )


def emails_of_mission(emails: QuerySet[OutboundEmail], mission: Mission):
    """The emails filed under ``mission``."""
    return emails.filter(refers_to("topic", Mission, mission.pk))


def campaigns_with_mission() -> QuerySet[Campaign]:
    return Campaign.objects.select_related("mission", "created_by")


def campaign_progress(campaign: Campaign) -> dict:
    """Where a campaign stands: its emails by status, and whether it is all over.

    It is over when every email is written and none waits to be sent; a failed
    email is over too (staff may resend it from the outbox).
    """
    counts = email_counts(campaign.emails.all())
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
        Campaign.objects.filter(mission=mission, kind=CALL_FOR_APPLICATIONS)
        .select_related("created_by")
        .annotate(
            written=Count("emails"),
            queued=Count("emails", filter=Q(emails__status__in=waiting)),
            sent=Count("emails", filter=Q(emails__status=EmailStatus.SENT)),
            failed=Count("emails", filter=Q(emails__status=EmailStatus.FAILED)),
        )
        .order_by("-created_at", "-pk")
    )
