"""The rows of the missions list and a mission's fill rate, written in Python.

Drawn by the template, a row of the list cost about 0.3 ms (an include, two translated
sentences, a badge, a moment in a zone: bench/profile_page.py); this writes the same HTML
in a loop of strings. Every value typed by someone is escaped with the standard library's
``html.escape``, as the template would (a Hypothesis test compares them).
"""

from html import escape

from django import template
from django.utils.formats import date_format, localize
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from core.rows import badge, labels_of, link_of, time_writer
from missions.enums import MissionStatus

register = template.Library()


def _fill_rate(taken, capacity) -> str:
    try:
        percent = str(round(float(taken) / float(capacity) * 100))
    except ZeroDivisionError:
        percent = "0"
    except (ValueError, TypeError, OverflowError):
        percent = ""
    counts = _("%(taken)s / %(capacity)s") % {
        "taken": escape(str(localize(taken))),
        "capacity": escape(str(localize(capacity))),
    }
    return (
        f'<span class="fill-rate">{counts} '
        f'<span class="text-body-secondary">({percent} %)</span></span>'
    )


@register.simple_tag
def fill_rate(mission) -> str:
    """A mission's seats taken (accepted and confirmed, ``seats_taken``) over its
    capacity, with the percentage."""
    return mark_safe(_fill_rate(mission.seats_taken, mission.capacity))  # noqa: S308 - escaped


def _span(start, end, fmt: str) -> str:
    """``{{ start|date:fmt }}``, or "start to end" when the end is another day."""
    if end and end != start:
        return _("%(start)s to %(end)s") % {
            "start": escape(date_format(start, fmt)) if start else "",
            "end": escape(date_format(end, fmt)),
        }
    return escape(date_format(start, fmt)) if start else ""


def _dates(mission) -> str:
    if not mission.start_date:
        return f"<em>{_('Dates to be set')}</em>"
    return _span(mission.start_date, mission.end_date, "j M Y")


@register.simple_tag
def mission_rows(missions) -> str:
    """A ``<tr>`` per mission of the page (``missions_with_fill_rate``)."""
    statuses = labels_of(MissionStatus.choices)
    link = link_of("missions:detail")
    deadline = time_writer(fmt="SHORT_DATETIME_FORMAT")
    html = []
    for mission in missions:
        status = mission.status
        html.append(
            f'<tr><th scope="row"><a href="{escape(link.format(mission.slug))}">'
            f"{escape(mission.title)}</a></th>"
            f"<td>{escape(mission.cities)} "
            f'<span class="text-body-secondary">({escape(str(mission.country.name))})</span></td>'
            f"<td>{_dates(mission)}</td>"
            f"<td>{badge(status, statuses[status])}</td>"
            f"<td>{_fill_rate(mission.seats_taken, mission.capacity)}</td>"
            f'<td class="small">{deadline(mission.application_deadline)}</td></tr>'
        )
    return mark_safe("".join(html))  # noqa: S308 - every value above is escaped


@register.simple_tag
def calendar_missions(missions, dated: bool = True) -> str:
    """The ``<li>`` of each mission of a calendar's month (``dated``) or of its missions
    without dates."""
    statuses = labels_of(MissionStatus.choices)
    link = link_of("missions:detail")
    html = []
    for mission in missions:
        status = mission.status
        dates = ""
        if dated:
            dates = (
                f'<div class="small">{_span(mission.start_date, mission.end_date, "j M")}</div>'
            )
        html.append(
            f'<li class="calendar-mission status-border-{escape(status)}">'
            f'<a class="fw-semibold" href="{escape(link.format(mission.slug))}">'
            f"{escape(mission.title)}</a>"
            f'<div class="small">{escape(mission.cities)} ({escape(str(mission.country.name))})'
            f"</div>{dates}"
            f'<div class="small d-flex flex-wrap gap-2 align-items-center">'
            f"{badge(status, statuses[status])} "
            f"{_fill_rate(mission.seats_taken, mission.capacity)}</div></li>"
        )
    return mark_safe("".join(html))  # noqa: S308 - every value above is escaped
