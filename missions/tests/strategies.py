"""Missions as the list pages' rows read them, for the tests that compare a row tag with
the template loop it replaced (``mission_tags``, ``act_on_tags``)."""

import datetime

from hypothesis import strategies as st

from core.tests.rows import MOMENTS, typed
from missions.enums import MissionStatus
from missions.models import Mission

DAYS = st.one_of(st.none(), st.dates(datetime.date(2000, 1, 1), datetime.date(2040, 12, 31)))


@st.composite
def listed_missions(draw):
    """Up to four unsaved missions, with the counts the list selectors annotate
    (``seats_taken``, ``applications_to_review``)."""
    missions = []
    for pk in range(1, draw(st.integers(0, 4)) + 1):
        start = draw(DAYS)
        mission = Mission(
            pk=pk,
            title=draw(typed()),
            slug=draw(st.from_regex(r"[a-z0-9][a-z0-9-]{0,20}", fullmatch=True)),
            country=draw(st.sampled_from(["CA", "JP", "US", "IL", "FR", "CI"])),
            cities=draw(typed()),
            start_date=start,
            end_date=draw(st.one_of(DAYS, st.just(start))),
            status=draw(st.sampled_from(MissionStatus.values)),
            capacity=draw(st.integers(0, 20_000)),
            application_deadline=draw(st.one_of(st.none(), MOMENTS)),
        )
        mission.seats_taken = draw(st.integers(0, 20_000))
        mission.applications_to_review = draw(st.integers(0, 20_000))
        missions.append(mission)
    return missions
