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


@rules.predicate
def is_admin_of(user, company) -> bool:
    return is_member_of(user, company) and user.membership.role == "admin"


rules.add_perm("companies.view_company_profile", is_city_staff | is_official | is_member_of)
# The profile and the delegates are the company's to keep; staff may correct them.
rules.add_perm("companies.change_company_profile", is_city_staff | is_member_of)
rules.add_perm("companies.manage_contacts", is_city_staff | is_member_of)
# Verifying a company is the city's decision, never the company's nor an official's.
rules.add_perm("companies.verify_company", is_city_staff)
# Who may act for a company is for its own administrators to say, not the city's.
rules.add_perm("companies.decide_membership", is_admin_of)
# The directory: officials may read it; exporting, importing and verifying are staff's.
rules.add_perm("companies.view_directory", is_city_staff | is_official)
rules.add_perm("companies.export_directory", is_city_staff)
rules.add_perm("companies.import_contacts", is_city_staff)
# The audit trail of a company and its contacts (who changed what, when) is for those who
# read the directory; a company never sees it, not even its own.
rules.add_perm("companies.view_history", is_city_staff | is_official)
