from django.db.models import QuerySet

from companies.models import Company
from delegations.models import Application


def applications_of_company(company: Company) -> QuerySet[Application]:
    return (
        Application.objects.filter(company=company)
        .select_related("mission")
        .order_by("-mission__start_date", "-pk")
    )
