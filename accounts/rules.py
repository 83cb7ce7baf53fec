"""Who is who. Roles are groups; a company member has an active membership."""

import rules

STAFF_GROUP = "staff"
OFFICIALS_GROUP = "officials"


@rules.predicate
def is_city_staff(user) -> bool:
    return user.is_authenticated and (
        user.is_superuser or rules.is_group_member(STAFF_GROUP)(user)
    )


is_official = rules.is_group_member(OFFICIALS_GROUP)


@rules.predicate
def is_company_member(user) -> bool:
    # ``user.membership`` is the company side's (companies is above accounts): it says
    # itself whether it is active.
    membership = getattr(user, "membership", None) if user.is_authenticated else None
    return membership is not None and membership.is_active


def role_of(user) -> str:
    """The area a user works in: staff, official, company or anonymous."""
    if not user.is_authenticated:
        return "anonymous"
    if is_city_staff(user):
        return "staff"
    if is_official(user):
        return "official"
    if is_company_member(user):
        return "company"
    return "pending"
