"""A mission's workspace: every staff page of a mission one click away, with what waits
on each, read in one query.

It spans the apps (applications, counterparts, meeting requests, meetings, the report):
only the project on top may read them all.
"""

from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce

from delegations.enums import ApplicationStatus
from delegations.models import Application
from meetings.enums import MeetingRequestStatus, MeetingStatus
from meetings.models import Counterpart, Meeting, MeetingRequest
from missions.enums import MissionStatus
from missions.models import Mission
from reports.models import MissionReport

# A meeting that will not take place.
CALLED_OFF = [MeetingStatus.CANCELLED, MeetingStatus.DECLINED]


def _count(model, mission_path: str, **filters):
    """How many ``model`` rows of the outer mission match ``filters`` (0 when none): the
    rows grouped by their mission, which is one group."""
    rows = model.objects.filter(**{mission_path: OuterRef("pk")}, **filters).order_by()
    return Coalesce(Subquery(rows.values(mission_path).annotate(n=Count("pk")).values("n")), 0)


def workspace_counts(mission: Mission) -> dict:
    """What waits on each page of ``mission``'s workspace."""
    return (
        Mission.objects.filter(pk=mission.pk)
        .annotate(
            to_review=_count(Application, "mission", status=ApplicationStatus.SUBMITTED),
            seats_taken=_count(
                Application,
                "mission",
                status__in=[ApplicationStatus.ACCEPTED, ApplicationStatus.CONFIRMED],
            ),
            counterpart_count=_count(Counterpart, "mission"),
            to_qualify=_count(
                MeetingRequest, "application__mission", status=MeetingRequestStatus.REQUESTED
            ),
            # Qualified and not on the grid: to place (or that the last run could not).
            to_place=_count(
                MeetingRequest, "application__mission", status=MeetingRequestStatus.QUALIFIED
            ),
            meeting_count=_count(Meeting, "application__mission", status__in=_placed_statuses()),
            declined=_count(Meeting, "application__mission", status=MeetingStatus.DECLINED),
            report_status=Subquery(
                MissionReport.objects.filter(mission=OuterRef("pk")).values("status")
            ),
        )
        .values(
            "to_review",
            "seats_taken",
            "counterpart_count",
            "to_qualify",
            "to_place",
            "meeting_count",
            "declined",
            "report_status",
        )
        .get()
    )


def _placed_statuses() -> list[str]:
    return [status for status in MeetingStatus.values if status not in CALLED_OFF]


def meetings_waiting() -> list[Mission]:
    """Running missions with meeting requests to qualify or meetings a counterpart
    declined (``to_qualify``, ``declined``), for the staff's home: one query."""
    return list(
        Mission.objects.exclude(status__in=[MissionStatus.REPORTED, MissionStatus.CANCELLED])
        .annotate(
            to_qualify=_count(
                MeetingRequest, "application__mission", status=MeetingRequestStatus.REQUESTED
            ),
            declined=_count(Meeting, "application__mission", status=MeetingStatus.DECLINED),
        )
        .filter(Q(to_qualify__gt=0) | Q(declined__gt=0))
        .only("pk", "slug", "title")
        .order_by("start_date", "title")
    )
