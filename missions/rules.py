import rules

from accounts.rules import is_city_staff, is_company_member, is_official
from missions.enums import MissionStatus


@rules.predicate
def is_open_mission(user, mission) -> bool:
    return mission is not None and mission.status == MissionStatus.OPEN


@rules.predicate
def has_applied(user, mission) -> bool:
    """A company keeps the page of a mission it applied to once the call has closed: the
    mission its application, meetings and agenda belong to. One query."""
    if mission is None or not is_company_member(user):
        return False
    return mission.applications.filter(company_id=user.membership.company_id).exists()


rules.add_perm(
    "missions.view_mission_page", is_city_staff | is_official | is_open_mission | has_applied
)
rules.add_perm("missions.manage_mission", is_city_staff)
# The city's side of a mission page: history, fill rate, budget, Paris times. Read-only
# for officials.
rules.add_perm("missions.view_mission_internals", is_city_staff | is_official)
