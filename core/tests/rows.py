"""What the tests of the rows written in Python share (the ``*_tags`` that replaced a
template loop): text as people type it, moments, and the loop the tag replaced, rendered
on the same rows to compare with what the tag writes."""

import datetime
import re
from pathlib import Path

from django.template import Context, Template
from hypothesis import strategies as st

MOMENTS = st.datetimes(
    min_value=datetime.datetime(2000, 1, 1), max_value=datetime.datetime(2040, 1, 1)
).map(lambda moment: moment.replace(tzinfo=datetime.UTC))


def typed(max_size: int = 20):
    """Any text someone could type, markup and quotes included."""
    return st.text(alphabet=st.characters(blacklist_categories=["Cs", "Cc"]), max_size=max_size)


def render_before(path: Path, context: dict) -> str:
    """The template loop a tag replaced (kept beside its test), rendered on ``context``."""
    return Template(path.read_text()).render(Context(context))


def tags_apart(html: str) -> str:
    """The HTML without the white space around its tags, which the template's indentation
    added and the tag leaves out."""
    return re.sub(r">\s+", ">", re.sub(r"\s+<", "<", html)).strip()
