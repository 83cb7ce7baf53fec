from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
    prefetch_related_objects,
)
from django.db.models.functions import Lower

from core.history import HistorySource
from delegations.enums import ApplicationStatus
from delegations.models import Application
from meetings.enums import MEETING_INACTIVE, MeetingRequestStatus, MeetingStatus
from meetings.models import (
    Counterpart,
    Meeting,
    MeetingChange,
    MeetingRequest,
    MeetingRequestStatusChange,
)
from meetings.suggestions import SHOWN, Suggestion, destination_words, fits_any, rank
from missions.models import Mission

# Counterparts and meeting requests ----------------------------------------------------


def counterparts_for_staff(mission) -> QuerySet[Counterpart]:
    """A mission's counterparts as staff list them, by organisation, with their
    sectors and ``request_count``: how many companies asked to meet each. Two queries
    whatever their number."""
    return (
        Counterpart.objects.filter(mission=mission)
        .prefetch_related("sectors")
        .annotate(request_count=Count("meeting_requests"))
        .order_by(Lower("organisation"), "pk")
    )


def counterpart_for_staff(pk: int) -> Counterpart | None:
    """A counterpart with its mission and sectors, for its form."""
    return (
        Counterpart.objects.select_related("mission").prefetch_related("sectors").filter(pk=pk)
    ).first()


def counterpart_history(counterpart: Counterpart) -> list[HistorySource]:
    """What a counterpart's history page reads (``core.history.history_page``)."""
    return [
        HistorySource(records=Counterpart.history.filter(id=counterpart.pk), hidden=("mission",))
    ]


def meeting_requests_for_staff(mission) -> QuerySet[MeetingRequest]:
    """A mission's meeting requests as staff handle them: those waiting for a decision
    first, then by priority (essential first) and age, with the company, the
    counterpart, ``in_grid``: whether a meeting of the request holds a slot, and
    ``decisions``: who qualified or declined it and when (staff's eyes only). Two
    queries per page whatever their number."""
    status_rank = Case(
        *(
            When(status=status, then=Value(rank))
            for rank, status in enumerate(MeetingRequestStatus.values)
        ),
        output_field=IntegerField(),
    )
    return (
        MeetingRequest.objects.filter(application__mission=mission)
        .select_related("application__company", "counterpart")
        .annotate(
            status_rank=status_rank,
            in_grid=Exists(
                Meeting.objects.filter(request=OuterRef("pk")).exclude(status__in=MEETING_INACTIVE)
            ),
        )
        .prefetch_related(
            Prefetch(
                "status_changes",
                queryset=MeetingRequestStatusChange.objects.filter(
                    to_status__in=(MeetingRequestStatus.QUALIFIED, MeetingRequestStatus.DECLINED)
                ).select_related("changed_by"),
                to_attr="decisions",
            )
        )
        .order_by("status_rank", "-priority", "created_at", "pk")
    )


def meeting_request_counts(mission) -> dict[str, int]:
    """How many of the mission's requests are in each status (a key per status): one
    query."""
    return MeetingRequest.objects.filter(application__mission=mission).aggregate(
        **{status: Count("pk", filter=Q(status=status)) for status in MeetingRequestStatus.values}
    )


def meeting_request_for_staff(pk: int) -> MeetingRequest | None:
    """One request, as its qualify and decline pages show it: company, counterpart,
    mission, and ``in_grid``."""
    return (
        MeetingRequest.objects.select_related(
            "application__company", "application__mission", "counterpart"
        )
        .annotate(
            in_grid=Exists(
                Meeting.objects.filter(request=OuterRef("pk")).exclude(status__in=MEETING_INACTIVE)
            )
        )
        .filter(pk=pk)
        .first()
    )


def confirmed_applications(mission) -> QuerySet[Application]:
    """The applications of a mission whose seat is confirmed, by company name: those
    that may request meetings."""
    return (
        Application.objects.filter(mission=mission, status=ApplicationStatus.CONFIRMED)
        .select_related("company")
        .order_by(Lower("company__name"), "pk")
    )


def application_for_meetings_page(pk: int) -> Application | None:
    """An application as its company's meeting requests page heads it."""
    return Application.objects.select_related("mission", "company").filter(pk=pk).first()


def counterparts_for_company(application) -> QuerySet[Counterpart]:
    """The counterparts of the application's mission as its company sees them, by
    organisation, with their sectors and ``requested_status``: the status of the
    company's own request to meet each (None if it has none). Never another company's
    requests. Two queries for a page of them, whatever their number."""
    own = MeetingRequest.objects.filter(application=application, counterpart=OuterRef("pk"))
    return (
        Counterpart.objects.filter(mission_id=application.mission_id)
        .prefetch_related("sectors")
        .annotate(requested_status=Subquery(own.values("status")[:1]))
        .order_by(Lower("organisation"), "pk")
    )


def meeting_requests_of(application) -> list[MeetingRequest]:
    """The company's own requests for one mission, the most important first, with the
    counterpart, ``meeting_declined`` (its meeting was declined by the counterpart) and
    ``not_placed`` (qualified, but the grid was scheduled without it): one query."""
    requests = list(
        MeetingRequest.objects.filter(application=application)
        .select_related("counterpart", "meeting")
        .annotate(
            grid_scheduled=Exists(
                Meeting.objects.filter(application__mission=OuterRef("application__mission"))
            )
        )
        .order_by("-priority", Lower("counterpart__organisation"), "pk")
    )
    for meeting_request in requests:
        meeting = getattr(meeting_request, "meeting", None)
        meeting_request.meeting_declined = (
            meeting is not None and meeting.status == MeetingStatus.DECLINED
        )
        # Qualified, and the grid scheduled without it: not on the agenda.
        meeting_request.not_placed = (
            meeting_request.status == MeetingRequestStatus.QUALIFIED
            and meeting is None
            and meeting_request.grid_scheduled
        )
    return requests


def applications_with_requests(mission) -> QuerySet[Application]:
    """The applications of a mission that may have meeting requests: those whose seat is
    confirmed, and any other that has requests (a company that withdrew since). By
    company name; one query."""
    return (
        Application.objects.filter(mission=mission)
        .filter(
            Q(status=ApplicationStatus.CONFIRMED)
            | Exists(MeetingRequest.objects.filter(application=OuterRef("pk")))
        )
        .select_related("company")
        .order_by(Lower("company__name"), "pk")
    )


def counterparts_of(mission) -> QuerySet[Counterpart]:
    """A mission's counterparts by organisation, for a choice in a form."""
    return Counterpart.objects.filter(mission=mission).order_by(Lower("organisation"), "pk")


def counterparts_to_request(application) -> QuerySet[Counterpart]:
    """The counterparts of the application's mission its company has not asked to meet
    yet, by organisation."""
    return (
        Counterpart.objects.filter(mission_id=application.mission_id)
        .exclude(meeting_requests__application=application)
        .order_by(Lower("organisation"), "pk")
    )


# Suggestions of counterparts (meetings.suggestions) -------------------------------------


def suggestions_for(application, *, limit: int | None = SHOWN) -> list[Suggestion]:
    """The counterparts of the application's mission that fit its company best, the best
    first, with why: never one the company already asked to meet (whatever became of
    the request), nor one that shares nothing with it. ``application`` comes with its
    company and mission. Three queries whatever their number: the company's sectors, the
    counterparts not requested yet, their sectors."""
    prefetch_related_objects([application], "company__sectors")
    counterparts = (
        Counterpart.objects.filter(mission_id=application.mission_id)
        .exclude(meeting_requests__application=application)
        .prefetch_related("sectors")
        .order_by(Lower("organisation"), "pk")
    )
    return rank(
        application,
        counterparts,
        ignored=destination_words(application.mission),
        limit=limit,
    )


def applications_without_fit(mission) -> list[Application]:
    """The mission's accepted or confirmed applications that no counterpart of the
    mission fits yet (each scores 0, requested or not), by company name; none while the
    mission has no counterpart. Four queries whatever their number: the counterparts,
    their sectors, the applications with their company, the companies' sectors."""
    counterparts = list(Counterpart.objects.filter(mission=mission).prefetch_related("sectors"))
    if not counterparts:
        return []
    applications = (
        Application.objects.filter(
            mission=mission,
            status__in=(ApplicationStatus.ACCEPTED, ApplicationStatus.CONFIRMED),
        )
        .select_related("company")
        .prefetch_related("company__sectors")
        .order_by(Lower("company__name"), "pk")
    )
    ignored = destination_words(mission)
    return [
        application
        for application in applications
        if not fits_any(application, counterparts, ignored=ignored)
    ]


def application_for_suggestions(mission, pk) -> Application | None:
    """One of the mission's applications whose seat is confirmed, with its company and
    mission, for staff to see the counterparts suggested to it; None if it is not one."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        return None
    return confirmed_applications(mission).select_related("mission").filter(pk=pk).first()


# B2B meetings: agendas and outcomes ---------------------------------------------------


def application_for_agenda(pk: int) -> Application | None:
    """An application as its agenda heads it: with its mission, the mission's grid (its
    venue) and the company."""
    return (
        Application.objects.select_related("mission__meeting_grid", "company")
        .filter(pk=pk)
        .first()
    )


def counterpart_for_agenda(pk: int) -> Counterpart | None:
    """A counterpart as its agenda heads it: with its mission and the mission's grid."""
    return Counterpart.objects.select_related("mission__meeting_grid").filter(pk=pk).first()


def agenda_meetings(
    *,
    application: Application | None = None,
    counterpart: Counterpart | None = None,
    with_declined: bool = False,
    invited_only: bool = False,
) -> list[Meeting]:
    """The active meetings of a company's application or of a counterpart, by time
    then table, with their slot, counterpart and company; with ``with_declined``,
    those the counterpart declined too (staff see them); with ``invited_only``, only
    those whose invitations are sent (the grid is staff's draft until then). One query
    whatever their number; the application or counterpart given is not read again (each
    meeting is given it, as read by the caller)."""
    related = ["slot"]
    if application is None:
        related.append("application__company")
    if counterpart is None:
        related.append("counterpart")
    meetings = Meeting.objects.select_related(*related)
    if invited_only:
        meetings = meetings.filter(invited_at__isnull=False)
    if application is not None:
        meetings = meetings.filter(application=application)
    if counterpart is not None:
        meetings = meetings.filter(counterpart=counterpart)
    hidden = [
        status
        for status in MEETING_INACTIVE
        if not (with_declined and status == MeetingStatus.DECLINED)
    ]
    found = list(meetings.exclude(status__in=hidden).order_by("slot__starts_at", "table", "pk"))
    for meeting in found:
        if application is not None:
            meeting.application = application
        if counterpart is not None:
            meeting.counterpart = counterpart
    return found


def meeting_for_outcome(pk: int) -> Meeting | None:
    """A meeting as its outcome page shows it: slot, counterpart, company and mission."""
    return (
        Meeting.objects.select_related(
            "slot", "counterpart", "application__company", "application__mission"
        )
        .filter(pk=pk)
        .first()
    )


# The meeting grid --------------------------------------------------------------------


def mission_with_grid(pk: int) -> Mission | None:
    """A mission with its meeting grid (``meeting_grid``, if laid out): one query."""
    return Mission.objects.select_related("meeting_grid").filter(pk=pk).first()


def grid_meetings(grid, slots) -> list[dict]:
    """The meetings the grid page shows: the active ones of ``slots`` (the session on
    screen) and every declined or cancelled one of the grid, by slot then table, as rows
    of what the page shows (``pk``, ``slot_id``, ``starts_at``, ``table``, ``status``,
    ``locked``, ``invited_at``, ``response_note``, ``application_id``, ``counterpart_id``,
    ``company``, ``organisation``: the counterpart's): one query whatever their number."""
    return list(
        Meeting.objects.filter(slot__grid=grid)
        .filter(Q(slot__in=slots) | Q(status__in=MEETING_INACTIVE))
        .order_by("slot__starts_at", "table", "pk")
        .values(
            "pk",
            "slot_id",
            "table",
            "status",
            "locked",
            "invited_at",
            "response_note",
            "application_id",
            "counterpart_id",
            starts_at=F("slot__starts_at"),
            company=F("application__company__name"),
            organisation=F("counterpart__organisation"),
        )
    )


def grid_meeting_counts(grid) -> dict[int, tuple[int, int]]:
    """By slot id, the grid's active meetings and how many of them are not sent yet:
    one query, a row per slot."""
    rows = (
        Meeting.objects.filter(slot__grid=grid)
        .exclude(status__in=MEETING_INACTIVE)
        .values("slot_id")
        .annotate(meetings=Count("pk"), to_invite=Count("pk", filter=Q(invited_at__isnull=True)))
        .order_by()
    )
    return {row["slot_id"]: (row["meetings"], row["to_invite"]) for row in rows}


def _to_schedule(mission) -> QuerySet[MeetingRequest]:
    """The qualified (or scheduled) requests of the companies whose seat is confirmed."""
    return MeetingRequest.objects.filter(
        application__mission=mission,
        application__status=ApplicationStatus.CONFIRMED,
        status__in=(MeetingRequestStatus.QUALIFIED, MeetingRequestStatus.SCHEDULED),
    )


def schedule_counts(mission) -> dict[str, int]:
    """How many requests the scheduler works on (``qualified``) and how many of them
    have an active meeting (``placed``; a request has one meeting at most, on its
    mission's grid): one query."""
    active = [status for status in MeetingStatus if status not in MEETING_INACTIVE]
    return _to_schedule(mission).aggregate(
        qualified=Count("pk"), placed=Count("meeting", filter=Q(meeting__status__in=active))
    )


def requests_not_placed(mission) -> list[MeetingRequest]:
    """The requests the scheduler works on with no meeting, active or not, with the
    company and counterpart, the most important first: one query."""
    return list(
        _to_schedule(mission)
        .filter(meeting__isnull=True)
        .select_related("application__company", "counterpart")
        .order_by("-priority", Lower("application__company__name"), "pk")
    )


def meeting_for_move(pk: int) -> Meeting | None:
    """A meeting with its slot, grid, mission, company and counterpart: one query."""
    return (
        Meeting.objects.select_related(
            "slot__grid__mission", "application__company", "counterpart"
        )
        .filter(pk=pk)
        .first()
    )


def meeting_history(meeting: Meeting) -> list[MeetingChange]:
    """A meeting's changes, oldest first, with who made them: one query. Staff's only:
    it names staff."""
    return list(
        MeetingChange.objects.filter(meeting=meeting)
        .select_related("changed_by")
        .order_by("changed_at", "pk")
    )


def unavailabilities_of(grid) -> dict[str, set[int]]:
    """The slots each participant of a grid cannot meet in, by ``a<application id>`` and
    ``c<counterpart id>``: one query."""
    from collections import defaultdict

    from meetings.models import Unavailability

    unavailable: dict[str, set[int]] = defaultdict(set)
    for slot_id, application_id, counterpart_id in Unavailability.objects.filter(
        slot__grid=grid
    ).values_list("slot_id", "application_id", "counterpart_id"):
        unavailable[f"a{application_id}" if application_id else f"c{counterpart_id}"].add(slot_id)
    return unavailable


def grid_participant_names(mission) -> list[tuple[str, str, bool]]:
    """Who meets on the grid as the unavailabilities page lists them: ``(key, name,
    is_company)``, the confirmed companies (``a<application id>``), then the counterparts
    (``c<counterpart id>``), each by name: two queries, no model object."""
    companies = confirmed_applications(mission).values_list("pk", "company__name")
    counterparts = counterparts_of(mission).values_list("pk", "organisation")
    return [(f"a{pk}", name, True) for pk, name in companies] + [
        (f"c{pk}", name, False) for pk, name in counterparts
    ]


def grid_participant(mission, key: str) -> Application | Counterpart:
    """One participant of the grid by its key in ``grid_participant_names``: the
    confirmed application (``a<id>``) or the counterpart (``c<id>``) of the mission."""
    pk = int(key[1:])
    if key.startswith("a"):
        return confirmed_applications(mission).get(pk=pk)
    return counterparts_of(mission).get(pk=pk)
