"""Reads of the outbox shared by its staff pages, with their query counts decided here."""

from django.db.models import Case, Count, OuterRef, Q, QuerySet, Subquery, When

from missions.models import Mission
from notifications.models import Campaign, CampaignStatus, EmailStatus, OutboundEmail


def refers_to(reference: str, model, pk: int | None = None) -> Q:
    """Rows whose generic reference ``reference`` (``related``, ``topic``, ``mailing``)
    points at a row of ``model`` (that one if ``pk`` is given).

    By the model's name, not by its ContentType id: no query of its own."""
    condition = Q(
        **{
            f"{reference}_type__app_label": model._meta.app_label,
            f"{reference}_type__model": model._meta.model_name,
        }
    )
    if pk is not None:
        condition &= Q(**{f"{reference}_id": pk})
    return condition


def outbox_emails() -> QuerySet[OutboundEmail]:
    """Every email of the outbox, newest first, with the title and slug of its mission
    (``mission_title``, ``mission_slug``; None if it is about none) in the same query."""
    mission = Mission.objects.filter(pk=OuterRef("topic_id"))
    about_a_mission = refers_to("topic", Mission)
    return OutboundEmail.objects.annotate(
        mission_title=Case(When(about_a_mission, then=Subquery(mission.values("title")))),
        mission_slug=Case(When(about_a_mission, then=Subquery(mission.values("slug")))),
    ).order_by("-created_at", "-pk")


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
