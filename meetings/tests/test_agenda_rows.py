"""An agenda's rows written in Python (``grid_tags.agenda_rows``), against the template loop
they replaced (``agenda_rows_before.html``), on values as people type them."""

from pathlib import Path

from django.template import Context, Template
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st

from companies.models import Company
from core.tests.rows import MOMENTS, render_before, tags_apart, typed
from delegations.models import Application
from meetings.enums import CounterpartKind, MeetingStatus
from meetings.models import Counterpart, Meeting, MeetingSlot
from missions.models import Mission

HERE = Path(__file__).parent
ZONES = ["America/Toronto", "Asia/Tokyo", "Europe/Paris", "Asia/Jerusalem", "UTC"]


@st.composite
def agenda_meetings(draw):
    meetings = []
    for pk in range(1, draw(st.integers(0, 4)) + 1):
        starts = draw(MOMENTS)
        meeting = Meeting(
            pk=pk,
            slot=MeetingSlot(starts_at=starts, ends_at=draw(MOMENTS)),
            counterpart=Counterpart(
                organisation=draw(typed()),
                city=draw(typed()),
                kind=draw(st.sampled_from(CounterpartKind.values)),
            ),
            application=Application(company=Company(name=draw(typed()))),
            table=draw(st.integers(1, 40)),
            status=draw(st.sampled_from(MeetingStatus.values)),
        )
        meetings.append(meeting)
    return meetings


@given(
    meetings=agenda_meetings(),
    zone=st.sampled_from(ZONES),
    side=st.sampled_from(["company", "counterpart"]),
    can_record_outcome=st.booleans(),
    show_paris=st.booleans(),
    zone_label=typed(),
    now=MOMENTS,
    language=st.sampled_from(["fr", "en"]),
)
@settings(max_examples=80, deadline=None)
def test_agenda_rows_write_what_the_template_wrote(
    meetings, zone, side, can_record_outcome, show_paris, zone_label, now, language
):
    context = {
        "day_meetings": meetings,
        "mission": Mission(timezone=zone),
        "side": side,
        "can_record_outcome": can_record_outcome,
        "show_paris": show_paris,
        "paris": "Europe/Paris",
        "zone_label": zone_label,
        "now": now,
    }
    with translation.override(language):
        expected = render_before(HERE / "agenda_rows_before.html", context)
        written = Template("{% load grid_tags %}{% agenda_rows day_meetings %}").render(
            Context(context)
        )

    assert tags_apart(written) == tags_apart(expected)
