import rules

from accounts.rules import is_city_staff, is_official


@rules.predicate
def is_member_of(user, company) -> bool:
    membership = getattr(user, "membership", None) if user.is_authenticated else None
    return (
        membership is not None
        and company is not None
        and membership.company_id == company.pk
        and membership.status == "active"
    )


rules.add_perm("companies.view_company", is_city_staff | is_official | is_member_of)
rules.add_perm("companies.change_company", is_city_staff | is_member_of)
