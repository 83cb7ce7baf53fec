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
    Window,
)
from django.db.models.functions import DenseRank, Lower

from companies.models import Company, Contact, MembershipStatus
from core.history import HistorySource
from delegations.enums import (
    DECISIONS,
    HOLDS_A_SEAT,
    MEETING_INACTIVE,
    ApplicationStatus,
    MeetingRequestStatus,
    MeetingStatus,
)
from delegations.models import (
    Application,
    ApplicationStatusChange,
    Counterpart,
    Meeting,
    MeetingChange,
    MeetingRequest,
    MeetingRequestStatusChange,
)
from delegations.services import waitlist_of
from missions.enums import MissionStatus
from missions.models import Mission, Sector


def applications_of_company(company: Company) -> QuerySet[Application]:
    return (
        Application.objects.filter(company=company)
        .select_related("mission")
        .order_by("-mission__start_date", "-pk")
    )


def application_for_company_page(pk: int) -> Application | None:
    """An application as its company's pages show it: mission, company, delegates and
    the history of what the company was told (``told_changes``: never a decision staff
    have not announced), in a fixed number of queries."""
    return (
        Application.objects.select_related("mission", "company")
        .prefetch_related(
            "delegates",
            Prefetch(
                "status_changes",
                queryset=ApplicationStatusChange.objects.filter(announced_at__isnull=False),
                to_attr="told_changes",
            ),
        )
        .filter(pk=pk)
        .first()
    )


def application_of_company_for(company: Company | None, mission) -> Application | None:
    """The application of ``company`` to ``mission``, if it has one."""
    if company is None:
        return None
    return Application.objects.filter(company=company, mission=mission).first()


def mission_for_delegation(pk: int) -> Mission | None:
    """A mission as its delegation page heads it: with its accompanying officials."""
    return Mission.objects.prefetch_related("officials").filter(pk=pk).first()


def has_confirmed_seat(company_id: int | None, mission: Mission) -> bool:
    """Whether the company has confirmed its seat in the mission's delegation."""
    return (
        company_id is not None
        and Application.objects.filter(
            company_id=company_id, mission=mission, status=ApplicationStatus.CONFIRMED
        ).exists()
    )


def delegation_of(mission: Mission, *, with_sectors: bool = True) -> list[Application]:
    """The confirmed applications of a mission, by company name, with the application's
    delegates and (``with_sectors``) each company's sectors, in two or three queries
    whatever their number.

    Each sector carries ``rank``, its place in the ``Sector`` ordering among the
    sectors fetched, so that pages can order sectors across companies without asking
    the database again.
    """
    prefetches = [
        Prefetch("delegates", queryset=Contact.objects.order_by("last_name", "first_name"))
    ]
    if with_sectors:
        sectors = Sector.objects.annotate(
            rank=Window(DenseRank(), order_by=[F("is_excellence").desc(), "name_fr", "pk"])
        ).order_by("-is_excellence", "name_fr", "pk")
        prefetches.append(Prefetch("company__sectors", queryset=sectors))
    return list(
        mission.applications.filter(status=ApplicationStatus.CONFIRMED)
        .select_related("company")
        .prefetch_related(*prefetches)
        .order_by(Lower("company__name"), "pk")
    )


def seats_awaiting_confirmation(mission: Mission) -> list[Application]:
    """Accepted applications whose company has not confirmed its seat yet, the first
    due first (those not told yet, without a date, last)."""
    return list(
        mission.applications.filter(status=ApplicationStatus.ACCEPTED)
        .select_related("company")
        .order_by(F("seat_confirm_by").asc(nulls_last=True), Lower("company__name"), "pk")
    )


# Staff's review ----------------------------------------------------------------------

# The order in which staff read a mission's applications by status: those awaiting a
# decision first, then the delegation, the waiting list, and what is closed.
REVIEW_STATUS_ORDER = (
    ApplicationStatus.SUBMITTED,
    ApplicationStatus.ACCEPTED,
    ApplicationStatus.CONFIRMED,
    ApplicationStatus.WAITLISTED,
    ApplicationStatus.REJECTED,
    ApplicationStatus.RELEASED,
    ApplicationStatus.WITHDRAWN,
)


def applications_for_review(mission) -> QuerySet[Application]:
    """A mission's applications as staff review them: all but the drafts (those are
    the company's until submitted), with the company and its sectors, and
    ``status_rank`` to sort by status. Two queries whatever their number."""
    return (
        Application.objects.filter(mission=mission)
        .exclude(status=ApplicationStatus.DRAFT)
        .select_related("company")
        .prefetch_related("company__sectors")
        .annotate(
            status_rank=Case(
                *(
                    When(status=status, then=Value(rank))
                    for rank, status in enumerate(REVIEW_STATUS_ORDER)
                ),
                default=Value(len(REVIEW_STATUS_ORDER)),
                output_field=IntegerField(),
            )
        )
        .order_by("status_rank", F("submitted_at").asc(nulls_last=True), "pk")
    )


def application_counts(mission) -> dict[str, int]:
    """How many applications of the mission are in each status (a key per status,
    drafts included), ``seats_taken`` and ``to_announce`` (decisions recorded but not
    yet told): one query."""
    counts = {status: Count("pk", filter=Q(status=status)) for status in ApplicationStatus.values}
    return Application.objects.filter(mission=mission).aggregate(
        **counts,
        seats_taken=Count("pk", filter=Q(status__in=HOLDS_A_SEAT)),
        to_announce=Count("pk", filter=Q(status__in=DECISIONS) & ~Q(announced_status=F("status"))),
    )


def waitlist_positions(mission) -> dict[int, int]:
    """Each waitlisted application's place (1 first) in the order seats are offered
    (``waitlist_of``): one query."""
    return {
        pk: position
        for position, pk in enumerate(waitlist_of(mission).values_list("pk", flat=True), 1)
    }


def application_for_review(pk: int) -> Application | None:
    """An application as staff review it: mission, company and its sectors, delegates,
    who decided, and the whole history (``history``) with who made each change, in a
    fixed number of queries."""
    return (
        Application.objects.select_related("mission", "company", "decided_by")
        .prefetch_related(
            "company__sectors",
            "delegates",
            Prefetch(
                "status_changes",
                queryset=ApplicationStatusChange.objects.select_related("changed_by"),
                to_attr="history",
            ),
        )
        .filter(pk=pk)
        .first()
    )


def decisions_to_announce(mission) -> list[Application]:
    """The decisions ``applications_announce`` would tell now, with the company and
    ``recipients``: how many of its members are active (each gets the email). By
    decision, then company name; one query."""
    return list(
        Application.objects.filter(mission=mission, status__in=DECISIONS)
        .exclude(announced_status=F("status"))
        .select_related("company")
        .annotate(
            recipients=Count(
                "company__memberships",
                filter=Q(company__memberships__status=MembershipStatus.ACTIVE),
            ),
            decision_rank=Case(
                *(When(status=status, then=Value(rank)) for rank, status in enumerate(DECISIONS)),
                output_field=IntegerField(),
            ),
        )
        .order_by("decision_rank", "company__name", "pk")
    )


def seat_offered_since(mission, since) -> Application | None:
    """The application the waiting list gave a freed seat to since ``since``, if any."""
    return (
        Application.objects.filter(
            mission=mission,
            status=ApplicationStatus.ACCEPTED,
            status_changes__from_status=ApplicationStatus.WAITLISTED,
            status_changes__to_status=ApplicationStatus.ACCEPTED,
            status_changes__changed_by__isnull=True,
            status_changes__changed_at__gte=since,
        )
        .select_related("company")
        .first()
    )


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


def counterparts_for_company(application) -> list[Counterpart]:
    """The counterparts of the application's mission as its company sees them, by
    organisation, with their sectors and ``requested_status``: the status of the
    company's own request to meet each (None if it has none). Never another company's
    requests. Two queries whatever their number."""
    own = MeetingRequest.objects.filter(application=application, counterpart=OuterRef("pk"))
    return list(
        Counterpart.objects.filter(mission_id=application.mission_id)
        .prefetch_related("sectors")
        .annotate(requested_status=Subquery(own.values("status")[:1]))
        .order_by(Lower("organisation"), "pk")
    )


def meeting_requests_of(application) -> list[MeetingRequest]:
    """The company's own requests for one mission, the most important first, with the
    counterpart and ``meeting_declined`` (its meeting was declined by the counterpart):
    one query."""
    requests = list(
        MeetingRequest.objects.filter(application=application)
        .select_related("counterpart", "meeting")
        .order_by("-priority", Lower("counterpart__organisation"), "pk")
    )
    for meeting_request in requests:
        meeting = getattr(meeting_request, "meeting", None)
        meeting_request.meeting_declined = (
            meeting is not None and meeting.status == MeetingStatus.DECLINED
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
    whatever their number."""
    meetings = Meeting.objects.select_related("slot", "counterpart", "application__company")
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
    return list(meetings.exclude(status__in=hidden).order_by("slot__starts_at", "table", "pk"))


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


def grid_meetings(grid) -> list[Meeting]:
    """Every meeting of a grid, active or not, with its slot, company and counterpart,
    by slot then table: one query whatever their number."""
    return list(
        Meeting.objects.filter(slot__grid=grid)
        .select_related("slot", "application__company", "counterpart")
        # What the grid shows, nothing more: it reads hundreds of them.
        .only(
            "request_id",
            "slot__starts_at",
            "table",
            "status",
            "locked",
            "invited_at",
            "response_note",
            "application__company__name",
            "counterpart__organisation",
        )
        .order_by("slot__starts_at", "table", "pk")
    )


def requests_to_schedule(mission) -> list[MeetingRequest]:
    """The qualified (or scheduled) requests of the companies whose seat is confirmed,
    with the company and counterpart, the most important first: one query."""
    return list(
        MeetingRequest.objects.filter(
            application__mission=mission,
            application__status=ApplicationStatus.CONFIRMED,
            status__in=(MeetingRequestStatus.QUALIFIED, MeetingRequestStatus.SCHEDULED),
        )
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

    from delegations.models import Unavailability

    unavailable: dict[str, set[int]] = defaultdict(set)
    for slot_id, application_id, counterpart_id in Unavailability.objects.filter(
        slot__grid=grid
    ).values_list("slot_id", "application_id", "counterpart_id"):
        unavailable[f"a{application_id}" if application_id else f"c{counterpart_id}"].add(slot_id)
    return unavailable


def seats_taken():
    """A mission's seats taken (accepted and confirmed applications), as an annotation
    of missions (registered with ``missions.hooks``)."""
    return Count(
        "applications",
        filter=Q(applications__status__in=HOLDS_A_SEAT),
    )


def missions_to_act_on() -> QuerySet[Mission]:
    """Missions still running for staff, with the counts that call for action."""
    return (
        Mission.objects.exclude(status__in=[MissionStatus.REPORTED, MissionStatus.CANCELLED])
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
