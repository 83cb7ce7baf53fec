"""The missions list's rows and the fill rate, written in Python (``mission_tags``),
against the template they replaced, on values as people type them."""

import datetime
from pathlib import Path

from django.template import Context, Template
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st

from core.tests.rows import MOMENTS, render_before, tags_apart, typed
from missions.enums import MissionStatus
from missions.models import Mission
from missions.templatetags.mission_tags import fill_rate, mission_rows

HERE = Path(__file__).parent
DAYS = st.one_of(st.none(), st.dates(datetime.date(2000, 1, 1), datetime.date(2040, 12, 31)))


@st.composite
def _missions(draw):
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
            capacity=draw(st.integers(0, 2000)),
            application_deadline=draw(st.one_of(st.none(), MOMENTS)),
        )
        mission.seats_taken = draw(st.integers(0, 2500))
        missions.append(mission)
    return missions


@given(missions=_missions(), language=st.sampled_from(["fr", "en"]))
@settings(max_examples=80, deadline=None)
def test_mission_rows_write_what_the_template_wrote(missions, language):
    with translation.override(language):
        expected = render_before(HERE / "mission_rows_before.html", {"missions": missions})
        written = mission_rows(missions)

    assert tags_apart(written) == tags_apart(expected)


@given(
    taken=st.one_of(st.integers(0, 100_000), st.none()),
    capacity=st.one_of(st.integers(0, 100_000), st.none()),
    language=st.sampled_from(["fr", "en"]),
)
@settings(max_examples=80, deadline=None)
def test_fill_rate_writes_what_the_include_wrote(taken, capacity, language):
    mission = Mission(capacity=capacity)
    mission.seats_taken = taken
    with translation.override(language):
        expected = render_before(HERE / "fill_rate_before.html", {"mission": mission})
        written = Template("{% load mission_tags %}{% fill_rate mission %}").render(
            Context({"mission": mission})
        )

    assert written == fill_rate(mission)
    assert tags_apart(written) == tags_apart(expected)
