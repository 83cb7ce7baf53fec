from django.db.models import F, Prefetch, Q, QuerySet
from django.utils import timezone

from missions import hooks
from missions.enums import MissionStatus
from missions.models import Mission, MissionStatusChange


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


def missions_with_fill_rate() -> QuerySet[Mission]:
    """Every mission with what the apps above annotate it with (``missions.hooks``:
    ``seats_taken``, its accepted and confirmed applications).

    Sorted by start date, missions without dates last; what the list, the calendar and
    the feed show, in one query whatever the number of missions.
    """
    return Mission.objects.annotate(**hooks.annotations()).order_by(
        F("start_date").asc(nulls_last=True), "title", "pk"
    )


def missions_in_year(year: int) -> QuerySet[Mission]:
    """Missions on a year's calendar, with their fill rate.

    The dated missions that overlap the year (a mission without an end date lasts its
    start day), and the missions without dates: those have no year, so every year's
    calendar lists them until they are given dates or cancelled.
    """
    overlaps = Q(start_date__year__lte=year) & (
        Q(end_date__year__gte=year) | Q(end_date__isnull=True, start_date__year=year)
    )
    undated = Q(start_date__isnull=True) & ~Q(status=MissionStatus.CANCELLED)
    return missions_with_fill_rate().filter(overlaps | undated)


def missions_for_detail() -> QuerySet[Mission]:
    """Missions as their page shows them: fill rate, sectors, officials, programme and
    history (with who made each change), in a fixed number of queries."""
    return missions_with_fill_rate().prefetch_related(
        "sectors",
        "officials",
        "programme",
        Prefetch(
            "status_changes",
            queryset=MissionStatusChange.objects.select_related("changed_by"),
        ),
    )
