"""Pieces of the campaigns shown on other apps' pages."""

from django import template

from campaigns.selectors import mission_calls

register = template.Library()


@register.simple_tag
def mission_call_progress(mission) -> list:
    """The mission's calls for applications with their counts, in one query:
    ``{% mission_call_progress mission as calls %}``."""
    return list(mission_calls(mission))
