"""Reads of the outbox that other apps' pages share, with their query counts decided here."""

from django.db.models import Count, Q, QuerySet

from notifications.models import EmailStatus, OutboundEmail


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
    """Every email of the outbox, newest first."""
    return OutboundEmail.objects.order_by("-created_at", "-pk")


def email_counts(emails: QuerySet[OutboundEmail]) -> dict[str, int]:
    """The count of each status among ``emails`` and their total, in one query."""
    counts = emails.order_by().aggregate(
        **{status: Count("pk", filter=Q(status=status)) for status in EmailStatus.values}
    )
    counts["total"] = sum(counts.values())
    return counts
