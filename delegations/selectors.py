from django.db.models import Prefetch, QuerySet

from companies.models import Company
from delegations.models import Application, ApplicationStatusChange


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
