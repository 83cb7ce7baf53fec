"""Reads of reports that more than one page needs."""

from django.db.models import QuerySet

from missions.models import Mission
from reports.enums import ReportStatus
from reports.models import MissionReport


def reports_awaiting_review() -> QuerySet[MissionReport]:
    return (
        MissionReport.objects.filter(status=ReportStatus.SUBMITTED)
        .select_related("mission")
        .order_by("submitted_at")
    )


def reports_sent_back() -> QuerySet[MissionReport]:
    """Reports an official sent back to staff with changes to make."""
    return (
        MissionReport.objects.filter(status=ReportStatus.CHANGES_REQUESTED)
        .select_related("mission")
        .order_by("mission__start_date", "mission__title")
    )


def mission_for_report(slug: str) -> Mission | None:
    """A mission as its report shows it: with its report (if written) and who reviewed
    it, in one query. Its KPIs come from ``reports.kpis.mission_kpis``."""
    return Mission.objects.select_related("report__reviewed_by").filter(slug=slug).first()
