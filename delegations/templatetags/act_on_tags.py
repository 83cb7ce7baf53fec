"""The rows of the staff's home (the missions to act on), written in Python.

Drawn by the template, each mission's row cost about 0.2 ms (a badge, two links, dates:
bench/profile_page.py), a third of the page's own time; this writes the same HTML in a loop
of strings. Every value typed by someone is escaped with the standard library's
``html.escape``, as the template would (a Hypothesis test compares them).
"""

from html import escape

from django import template
from django.utils.formats import date_format, localize
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from core.rows import badge, labels_of, link_of
from missions.enums import MissionStatus

register = template.Library()


def _day(value) -> str:
    return escape(date_format(value, "SHORT_DATE_FORMAT")) if value else ""


@register.simple_tag
def missions_to_act_on_rows(missions) -> str:
    """A ``<tr>`` per mission (``delegations.selectors.missions_to_act_on``)."""
    statuses = labels_of(MissionStatus.choices)
    page, review = link_of("missions:detail"), link_of("delegations:review")
    to_be_set, to_review = _("to be set"), _("Applications to review")
    # Each cell's column, which a phone shows above it (the table read as cards).
    dates_label, status_label = escape(_("Dates")), escape(_("Status"))
    review_label, seats_label = escape(to_review), escape(_("Seats taken"))
    html = []
    for mission in missions:
        status, waiting = mission.status, mission.applications_to_review
        dates = (
            f"{_day(mission.start_date)} – {_day(mission.end_date)}"
            if mission.start_date
            else to_be_set
        )
        count = f"<strong>{escape(str(localize(waiting)))}</strong>" if waiting else "0"
        html.append(
            f'<tr><th scope="row"><a href="{escape(page.format(mission.slug))}">'
            f"{escape(mission.title)}</a><br>"
            f'<span class="small text-body-secondary">{escape(str(mission.country.name))} — '
            f"{escape(mission.cities)}</span></th>"
            f'<td data-label="{dates_label}">{dates}</td>'
            f'<td data-label="{status_label}">{badge(status, statuses[status])}</td>'
            f'<td data-label="{review_label}" class="text-end position-relative">'
            f'<a href="{review.format(mission.pk)}">'
            f'{count}<span class="visually-hidden"> {to_review}</span></a></td>'
            f'<td data-label="{seats_label}" class="text-end">'
            f"{escape(str(localize(mission.seats_taken)))} / "
            f"{escape(str(localize(mission.capacity)))}</td></tr>"
        )
    return mark_safe("".join(html))  # noqa: S308 - every value above is escaped
