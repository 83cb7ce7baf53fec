from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from delegations.enums import ApplicationStatus
from missions.enums import MissionStatus, ReportStatus
from missions.models import Mission, MissionReport

FINISHED = [MissionStatus.REPORTED, MissionStatus.CANCELLED]


def missions_open_for_applications() -> QuerySet[Mission]:
    """Missions a company can apply to now: open, deadline not passed."""
    now = timezone.now()
    return (
        Mission.objects.filter(status=MissionStatus.OPEN)
        .filter(Q(application_deadline__isnull=True) | Q(application_deadline__gt=now))
        .filter(Q(applications_open_at__isnull=True) | Q(applications_open_at__lte=now))
        .prefetch_related("sectors")
        .order_by("application_deadline", "start_date", "title")
    )


def missions_to_act_on() -> QuerySet[Mission]:
    """Missions still running for staff, with the counts that call for action."""
    return (
        Mission.objects.exclude(status__in=FINISHED)
        .annotate(
            applications_to_review=Count(
                "applications", filter=Q(applications__status=ApplicationStatus.SUBMITTED)
            ),
            seats_taken=Count(
                "applications",
                filter=Q(
                    applications__status__in=[
                        ApplicationStatus.ACCEPTED,
                        ApplicationStatus.CONFIRMED,
                    ]
                ),
            ),
        )
        .order_by("start_date", "title")
    )


def reports_awaiting_review() -> QuerySet[MissionReport]:
    return (
        MissionReport.objects.filter(status=ReportStatus.SUBMITTED)
        .select_related("mission")
        .order_by("submitted_at")
    )
