"""Who may do what with applications.

The company pages of an application are its company's only: to anyone else, staff and
officials included, they do not exist (404). Staff review applications on their own
pages, with the internal score and notes the company never sees.
"""

import rules

from accounts.rules import is_company_member
from companies.rules import is_member_of


@rules.predicate
def is_member_of_applicant(user, application) -> bool:
    return application is not None and is_member_of(user, application.company)


rules.add_perm("delegations.apply", is_company_member)
rules.add_perm("delegations.view_application", is_member_of_applicant)
rules.add_perm("delegations.change_application", is_member_of_applicant)
rules.add_perm("delegations.withdraw_application", is_member_of_applicant)
rules.add_perm("delegations.confirm_seat", is_member_of_applicant)
