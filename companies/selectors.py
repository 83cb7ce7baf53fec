from django.db.models import Prefetch
from django.utils.translation import gettext as _

from companies.models import Company, CompanyMembership, Contact, MembershipStatus
from core.history import HistorySource


def company_of(user) -> Company | None:
    """The company a user acts for, if their membership is active."""
    if not user.is_authenticated:
        return None
    membership = (
        CompanyMembership.objects.filter(user=user, status=MembershipStatus.ACTIVE)
        .select_related("company")
        .first()
    )
    return membership.company if membership else None


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


def companies_for_directory():
    """The directory's companies with what its page shows: sectors, and the emails of
    active members, fetched in two queries whatever the number of companies."""
    return directory_companies().prefetch_related(
        "sectors",
        Prefetch(
            "memberships",
            queryset=CompanyMembership.objects.filter(status=MembershipStatus.ACTIVE)
            .select_related("user")
            .order_by("user__email"),
            to_attr="active_memberships",
        ),
    )
