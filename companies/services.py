from django.db import transaction

from accounts.models import User
from companies.models import (
    Company,
    CompanyMembership,
    MembershipRole,
    MembershipStatus,
)


@transaction.atomic
def company_register(
    *,
    email: str,
    password: str,
    first_name: str,
    last_name: str,
    language: str,
    company_fields: dict,
    sectors=(),
) -> User:
    """Create a person's account, their company and the link between them.

    All or nothing: the account, the company and the membership are created in
    one transaction. The company starts unverified; staff verify it before any
    of its applications can be accepted. The first member administers it.
    """
    user = User.objects.create_user(
        email=email,
        password=password,
        first_name=first_name,
        last_name=last_name,
        language=language,
    )
    company = Company.objects.create(**company_fields)
    company.sectors.set(sectors)
    CompanyMembership.objects.create(
        user=user,
        company=company,
        role=MembershipRole.ADMIN,
        status=MembershipStatus.ACTIVE,
    )
    return user
