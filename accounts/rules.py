"""Who is who. Roles are groups; a company member has an active membership."""

import rules

STAFF_GROUP = "staff"
OFFICIALS_GROUP = "officials"


# The request's user comes with the answer for these groups (portal.backends reads it
# with the user); any other user object asks the database.
_READ_WITH_THE_USER = {STAFF_GROUP: "in_staff_group", OFFICIALS_GROUP: "in_officials_group"}


def _in_group(user, name: str) -> bool:
    known = getattr(user, _READ_WITH_THE_USER[name], None)
    return rules.is_group_member(name)(user) if known is None else known


@rules.predicate
def is_city_staff(user) -> bool:
    return user.is_authenticated and (user.is_superuser or _in_group(user, STAFF_GROUP))


@rules.predicate
def is_official(user) -> bool:
    return user.is_authenticated and _in_group(user, OFFICIALS_GROUP)


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
