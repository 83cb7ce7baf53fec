"""The rows of the staff's home (``act_on_tags``) against the template loop they
replaced, on values as people type them."""

from pathlib import Path

from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st

from core.tests.rows import render_before, tags_apart
from delegations.templatetags.act_on_tags import missions_to_act_on_rows
from missions.tests.strategies import listed_missions

BEFORE = Path(__file__).parent / "missions_to_act_on_rows_before.html"


@given(missions=listed_missions(), language=st.sampled_from(["fr", "en"]))
@settings(max_examples=80, deadline=None)
def test_missions_to_act_on_rows_write_what_the_template_wrote(missions, language):
    with translation.override(language):
        expected = render_before(BEFORE, {"missions": missions})
        written = missions_to_act_on_rows(missions)

    assert tags_apart(written) == tags_apart(expected)
