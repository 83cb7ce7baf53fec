"""The rows of the staff's home (``act_on_tags``) against the template loop they
replaced, on values as people type them."""

import datetime
from pathlib import Path

from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st

from core.tests.rows import render_before, tags_apart, typed
from delegations.templatetags.act_on_tags import missions_to_act_on_rows
from missions.enums import MissionStatus
from missions.models import Mission

BEFORE = Path(__file__).parent / "missions_to_act_on_rows_before.html"
DAYS = st.one_of(st.none(), st.dates(datetime.date(2000, 1, 1), datetime.date(2040, 12, 31)))


@st.composite
def _missions(draw):
    missions = []
    for pk in range(1, draw(st.integers(0, 4)) + 1):
        mission = Mission(
            pk=pk,
            title=draw(typed()),
            slug=draw(st.from_regex(r"[a-z0-9][a-z0-9-]{0,20}", fullmatch=True)),
            country=draw(st.sampled_from(["CA", "JP", "US", "IL", "FR", "CI"])),
            cities=draw(typed()),
            start_date=draw(DAYS),
            end_date=draw(DAYS),
            status=draw(st.sampled_from(MissionStatus.values)),
            capacity=draw(st.integers(1, 20_000)),
        )
        mission.applications_to_review = draw(st.integers(0, 20_000))
        mission.seats_taken = draw(st.integers(0, 20_000))
        missions.append(mission)
    return missions


@given(missions=_missions(), language=st.sampled_from(["fr", "en"]))
@settings(max_examples=80, deadline=None)
def test_missions_to_act_on_rows_write_what_the_template_wrote(missions, language):
    with translation.override(language):
        expected = render_before(BEFORE, {"missions": missions})
        written = missions_to_act_on_rows(missions)

    assert tags_apart(written) == tags_apart(expected)
