"""The missions list's rows, the calendar's missions and the fill rate, written in Python
(``mission_tags``), against the template they replaced, on values as people type them."""

from pathlib import Path

from django.template import Context, Template
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st

from core.tests.rows import render_before, tags_apart
from missions.models import Mission
from missions.templatetags.mission_tags import calendar_missions, fill_rate, mission_rows
from missions.tests.strategies import listed_missions

HERE = Path(__file__).parent


@given(missions=listed_missions(), language=st.sampled_from(["fr", "en"]))
@settings(max_examples=80, deadline=None)
def test_mission_rows_write_what_the_template_wrote(missions, language):
    with translation.override(language):
        expected = render_before(HERE / "mission_rows_before.html", {"missions": missions})
        written = mission_rows(missions)

    assert tags_apart(written) == tags_apart(expected)


@given(missions=listed_missions(), dated=st.booleans(), language=st.sampled_from(["fr", "en"]))
@settings(max_examples=80, deadline=None)
def test_calendar_missions_write_what_the_template_wrote(missions, dated, language):
    with translation.override(language):
        expected = render_before(
            HERE / "calendar_missions_before.html", {"missions": missions, "dated": dated}
        )
        written = calendar_missions(missions, dated=dated)

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
