import rules

from accounts.rules import is_city_staff, is_official
from missions.enums import MissionStatus


@rules.predicate
def is_open_mission(user, mission) -> bool:
    return mission is not None and mission.status == MissionStatus.OPEN


rules.add_perm("missions.view_mission_page", is_city_staff | is_official | is_open_mission)
rules.add_perm("missions.manage_mission", is_city_staff)
# The city's side of a mission page: history, fill rate, budget, Paris times. Read-only
# for officials.
rules.add_perm("missions.view_mission_internals", is_city_staff | is_official)
