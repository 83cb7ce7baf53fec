from django.db import connection
from django.db.models import (
    Case,
    Count,
    F,
    Field,
    Func,
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
from delegations.enums import DECISIONS, HOLDS_A_SEAT, ApplicationStatus
from delegations.models import Application, ApplicationStatusChange
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


def roster_of(mission: Mission) -> tuple[int, list[tuple]]:
    """The printable roster: how many companies have a confirmed seat, and their
    delegates as rows (company, last name, first name, job title, email, phone,
    language code), by company name then delegate name: two queries whatever their
    number, and no model object built (the roster of a large delegation is long)."""
    confirmed = mission.applications.filter(status=ApplicationStatus.CONFIRMED)
    rows = (
        Application.delegates.through.objects.filter(application__in=confirmed)
        .order_by(
            Lower("application__company__name"),
            "application_id",
            "contact__last_name",
            "contact__first_name",
            "contact_id",
        )
        .values_list(
            "application__company__name",
            "contact__last_name",
            "contact__first_name",
            "contact__job_title",
            "contact__email",
            "contact__phone",
            "contact__language",
        )
    )
    return confirmed.count(), list(rows)


def delegation_by_sector(mission: Mission):
    """The confirmed applications of a mission in the delegation page's order: under their
    company's first sector (in the ``Sector`` ordering; companies without one last), then
    by company name. A queryset to paginate: each page fetches its delegates and sectors
    (its delegates and its companies' ranked sectors) in two more queries."""
    first = Sector.objects.filter(company=OuterRef("company_id")).order_by(
        "-is_excellence", "name_fr", "pk"
    )
    prefetches = [
        Prefetch("delegates", queryset=Contact.objects.order_by("last_name", "first_name")),
        Prefetch("company__sectors", queryset=_ranked_sectors()),
    ]
    excellence_first = Case(When(is_excellence=True, then=Value(0)), default=Value(1))
    if connection.vendor == "postgresql":
        # The first sector's place in that ordering, as one row value (one subquery per
        # application, not one per key: three times less work for PostgreSQL).
        row = Func(excellence_first, "name_fr", "pk", function="ROW", output_field=Field())
        keys = {"first_sector": first.annotate(key=row).values("key")[:1]}
    else:
        # SQLite (the embedded default) has no row value to return from a subquery.
        keys = {
            "first_excellence": first.annotate(key=excellence_first).values("key")[:1],
            "first_name": first.values("name_fr")[:1],
            "first_sector": first.values("pk")[:1],
        }
    return (
        mission.applications.filter(status=ApplicationStatus.CONFIRMED)
        .select_related("company")
        .prefetch_related(*prefetches)
        .alias(**{name: Subquery(query) for name, query in keys.items()})
        .order_by(
            *(F(name).asc(nulls_last=True) for name in keys),
            Lower("company__name"),
            "pk",
        )
    )


def delegate_count(mission: Mission) -> int:
    """How many delegates the confirmed companies of a mission name, in one query."""
    return Application.delegates.through.objects.filter(
        application__mission=mission, application__status=ApplicationStatus.CONFIRMED
    ).count()


def _ranked_sectors():
    return Sector.objects.annotate(
        rank=Window(DenseRank(), order_by=[F("is_excellence").desc(), "name_fr", "pk"])
    ).order_by("-is_excellence", "name_fr", "pk")


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
