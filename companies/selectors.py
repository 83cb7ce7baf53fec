from django.utils.translation import gettext as _

from companies.models import Company, CompanyMembership, Contact, MembershipStatus
from core.history import HistorySource
from missions.models import sector_name


def company_of(user) -> Company | None:
    """The company a user acts for, if their membership is active. The request's user
    comes with both (``portal.backends``): no query; any other user costs two at most."""
    if not user.is_authenticated:
        return None
    membership = getattr(user, "membership", None)
    return membership.company if membership is not None and membership.is_active else None


def pending_requests(company: Company):
    """The people asking to act for a company, oldest request first."""
    return (
        CompanyMembership.objects.filter(company=company, status=MembershipStatus.PENDING)
        .select_related("user")
        .order_by("created_at", "pk")
    )


def company_history(company: Company) -> list[HistorySource]:
    """What a company's history page reads (``core.history.history_page``): the
    changes of the company and of its contacts, those removed since included."""
    return [
        HistorySource(
            records=Company.history.filter(id=company.pk), select_related=("verified_by",)
        ),
        HistorySource(
            records=Contact.history.filter(company_id=company.pk),
            subject=lambda record: (
                _("Contact %(name)s") % {"name": f"{record.first_name} {record.last_name}"}
            ),
            hidden=("company",),
        ),
    ]


def directory_companies():
    """Every company, in the directory's order (by name)."""
    return Company.objects.order_by("name", "pk")


def directory_page(companies) -> list[dict]:
    """The rows of a page of the directory (``companies``: that page of
    ``directory_companies()`` read as ``DIRECTORY_VALUES``): each company's values, with
    ``sectors`` (their names, in the ``Sector`` order) and ``emails`` (its active
    members', by address). Two queries whatever the number of companies, and no model
    object built: the page's time was in building them."""
    rows = list(companies)
    by_pk = {row["pk"]: {**row, "sectors": [], "emails": []} for row in rows}
    sectors = (
        Company.sectors.through.objects.filter(company_id__in=by_pk)
        .order_by("-sector__is_excellence", "sector__name_fr", "sector_id")
        .values_list("company_id", "sector__name_fr", "sector__name_en")
    )
    for company_id, name_fr, name_en in sectors:
        by_pk[company_id]["sectors"].append(sector_name(name_fr, name_en))
    emails = (
        CompanyMembership.objects.filter(company_id__in=by_pk, status=MembershipStatus.ACTIVE)
        .order_by("user__email")
        .values_list("company_id", "user__email")
    )
    for company_id, email in emails:
        by_pk[company_id]["emails"].append(email)
    return [by_pk[row["pk"]] for row in rows]


# What a row of the directory shows of the company itself (``directory_page``).
DIRECTORY_VALUES = ("pk", "name", "siret", "city", "size", "verified")
