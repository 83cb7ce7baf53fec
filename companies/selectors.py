from django.db.models import Prefetch

from companies.models import Company, CompanyMembership, MembershipStatus


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


def companies_for_directory():
    """Companies with what the directory and its export show: sectors, and the emails
    of active members, fetched in two queries whatever the number of companies."""
    return Company.objects.prefetch_related(
        "sectors",
        Prefetch(
            "memberships",
            queryset=CompanyMembership.objects.filter(status=MembershipStatus.ACTIVE)
            .select_related("user")
            .order_by("user__email"),
            to_attr="active_memberships",
        ),
    ).order_by("name", "pk")
