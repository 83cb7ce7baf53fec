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

# Counterparts and meeting requests: staff run them; officials read the lists and change
# nothing. A company's meeting page, and each of its requests, are its own active
# members' only: to anyone else, staff and officials included, they do not exist.


@rules.predicate
def is_member_of_requester(user, meeting_request) -> bool:
    return meeting_request is not None and is_member_of(user, meeting_request.application.company)


rules.add_perm("delegations.view_counterparts", is_city_staff | is_official)
rules.add_perm("delegations.change_counterparts", is_city_staff)
# Who changed what in a counterpart, and when: for those who read the counterparts.
rules.add_perm("delegations.view_counterpart_history", is_city_staff | is_official)
rules.add_perm("delegations.view_meeting_requests", is_city_staff | is_official)
rules.add_perm("delegations.handle_meeting_requests", is_city_staff)
rules.add_perm("delegations.request_meetings", is_member_of_applicant)
rules.add_perm("delegations.delete_meeting_request", is_member_of_requester)

# B2B meetings. A company's agenda is its members' and the city's to read; a
# counterpart's agenda is the city's (the counterpart itself reads it through its
# signed link). Invitations are staff's. A meeting's outcome is recorded by its
# company's members for their side and by staff for both; officials only read.


@rules.predicate
def is_member_of_meeting_company(user, meeting) -> bool:
    return meeting is not None and is_member_of(user, meeting.application.company)


rules.add_perm("delegations.view_agenda", is_city_staff | is_official | is_member_of_applicant)
rules.add_perm("delegations.view_counterpart_agenda", is_city_staff | is_official)
rules.add_perm("delegations.invite_meetings", is_city_staff)
rules.add_perm("delegations.record_meeting_outcome", is_city_staff | is_member_of_meeting_company)
rules.add_perm("delegations.record_both_sides", is_city_staff)

# The meeting grid: staff lay it out, mark unavailabilities, run the scheduler, move and
# lock meetings; officials read it; to a company it does not exist.
rules.add_perm("delegations.view_grid", is_city_staff | is_official)
rules.add_perm("delegations.manage_grid", is_city_staff)
