from django.db.models import F, Prefetch, QuerySet, Window
from django.db.models.functions import DenseRank, Lower

from companies.models import Company, Contact
from delegations.enums import ApplicationStatus
from delegations.models import Application, ApplicationStatusChange
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
