
import rules

from accounts.rules import is_city_staff, is_official
from companies.rules import is_member_of
from delegations.rules import is_member_of_applicant

# Counterparts and meeting requests: staff run them; officials read the lists and change
# nothing. A company's meeting page, and each of its requests, are its own active
# members' only: to anyone else, staff and officials included, they do not exist.


@rules.predicate
def is_member_of_requester(user, meeting_request) -> bool:
    return meeting_request is not None and is_member_of(user, meeting_request.application.company)


rules.add_perm("meetings.view_counterparts", is_city_staff | is_official)
rules.add_perm("meetings.change_counterparts", is_city_staff)
# Who changed what in a counterpart, and when: for those who read the counterparts.
rules.add_perm("meetings.view_counterpart_history", is_city_staff | is_official)
rules.add_perm("meetings.view_meeting_requests", is_city_staff | is_official)
rules.add_perm("meetings.handle_meeting_requests", is_city_staff)
rules.add_perm("meetings.request_meetings", is_member_of_applicant)
rules.add_perm("meetings.delete_meeting_request", is_member_of_requester)

# B2B meetings. A company's agenda is its members' and the city's to read; a
# counterpart's agenda is the city's (the counterpart itself reads it through its
# signed link). Invitations are staff's. A meeting's outcome is recorded by its
# company's members for their side and by staff for both; officials only read.


@rules.predicate
def is_member_of_meeting_company(user, meeting) -> bool:
    return meeting is not None and is_member_of(user, meeting.application.company)


rules.add_perm("meetings.view_agenda", is_city_staff | is_official | is_member_of_applicant)
rules.add_perm("meetings.view_counterpart_agenda", is_city_staff | is_official)
rules.add_perm("meetings.invite_meetings", is_city_staff)
rules.add_perm("meetings.record_meeting_outcome", is_city_staff | is_member_of_meeting_company)
rules.add_perm("meetings.record_both_sides", is_city_staff)

# The meeting grid: staff lay it out, mark unavailabilities, run the scheduler, move and
# lock meetings; officials read it; to a company it does not exist.
rules.add_perm("meetings.view_grid", is_city_staff | is_official)
rules.add_perm("meetings.manage_grid", is_city_staff)
