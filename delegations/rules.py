"""Who may do what with applications.

The company pages of an application are its company's only: to anyone else, staff and
officials included, they do not exist (404). Staff review applications on their own
pages, with the internal score and notes the company never sees.
"""

import rules

from accounts.rules import is_city_staff, is_company_member, is_official
from companies.rules import is_member_of
from delegations.selectors import has_confirmed_seat
from missions.rules import is_open_mission


@rules.predicate
def is_member_of_applicant(user, application) -> bool:
    return application is not None and is_member_of(user, application.company)


rules.add_perm("delegations.apply", is_company_member)
# Apply to this mission: a company member, to a mission they may see (an open one).
rules.add_perm(
    "delegations.apply_to",
    is_company_member & (is_city_staff | is_official | is_open_mission),
)
rules.add_perm("delegations.view_own_application", is_member_of_applicant)
rules.add_perm("delegations.change_own_application", is_member_of_applicant)
rules.add_perm("delegations.withdraw_application", is_member_of_applicant)
rules.add_perm("delegations.confirm_seat", is_member_of_applicant)

# Staff's review: the list, one application with its internal score and notes, the
# decisions and their announcement, a seat released. Never an official's.
rules.add_perm("delegations.review_applications", is_city_staff)
rules.add_perm("delegations.assess_application", is_city_staff)
rules.add_perm("delegations.decide_application", is_city_staff)
rules.add_perm("delegations.announce_decisions", is_city_staff)
rules.add_perm("delegations.release_seat", is_city_staff)

# A mission's delegation: the city sees it whole; a company whose seat is confirmed sees
# who travels with it, without their emails and phones; to any other company the page
# does not exist. The printable roster, with every contact, is the city's.


@rules.predicate
def has_confirmed_seat_in(user, mission) -> bool:
    return (
        mission is not None
        and is_company_member(user)
        and has_confirmed_seat(user.membership.company_id, mission)
    )


rules.add_perm("delegations.view_delegation", is_city_staff | is_official | has_confirmed_seat_in)
rules.add_perm("delegations.view_delegates_contacts", is_city_staff | is_official)
rules.add_perm("delegations.view_roster", is_city_staff | is_official)
rules.add_perm("delegations.view_seats_awaiting_confirmation", is_city_staff)
