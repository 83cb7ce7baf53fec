"""The cells of the meeting grid and the rows of an agenda, written in Python.

A session of the Toronto grid at ten times the data is 40 tables by 6 slots: 240 cells,
each a dozen template nodes when the template drew them (40 ms of the page's 60, measured
with bench/profile_page.py). This writes the same HTML in a loop of strings.
"""

import zoneinfo
from html import escape  # Django's own calls this, through a slower wrapper

from django import template
from django.utils import timezone
from django.utils.dateformat import format
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.rows import badge, labels_of, link_of, time_writer
from meetings.enums import CounterpartKind, MeetingStatus

register = template.Library()


def _words(context) -> dict:
    """What every cell of the page says the same way: worked out once per page (the tag
    draws a row), not once per row."""
    if "grid_cells" not in context.render_context:
        labels = {value: str(label) for value, label in MeetingStatus.choices}
        labels[MeetingStatus.CONFIRMED] = _("Confirmed by the counterpart")
        free = escape(_("Free"))
        words = {
            "labels": labels,
            "free": f'<td class="grid-free"><span class="visually-hidden">{free}</span></td>',
            "locked": escape(_("Locked")),
            "sent": escape(_("Sent")),
            "manage": bool(context.get("can_manage")),
            # Staff and officials open either side's agenda from its meeting.
            "agenda_url": link_of("meetings:agenda"),
            "counterpart_agenda_url": link_of("meetings:counterpart_agenda"),
        }
        if words["manage"]:
            words |= {
                "move": escape(_("Move")),
                "lock": escape(_("Lock")),
                "unlock": escape(_("Unlock")),
                "move_url": link_of("meetings:meeting_move"),
                "lock_url": link_of("meetings:meeting_lock"),
                "csrf": (
                    '<input type="hidden" name="csrfmiddlewaretoken" '
                    f'value="{escape(str(context.get("csrf_token", "")))}">'
                ),
            }
        context.render_context["grid_cells"] = words
    return context.render_context["grid_cells"]


@register.simple_tag(takes_context=True)
def grid_cells(context, cells) -> str:
    """The ``<td>`` of each table of a slot: its meeting (``meetings.selectors.
    grid_meetings`` rows), or free, with links to both sides' agendas. Staff
    (``can_manage``) get the links to move and to lock it."""
    words = _words(context)
    labels, free, locked, sent, manage = (
        words["labels"],
        words["free"],
        words["locked"],
        words["sent"],
        words["manage"],
    )
    agenda_url, counterpart_agenda_url = words["agenda_url"], words["counterpart_agenda_url"]
    if manage:
        move, lock, unlock = words["move"], words["lock"], words["unlock"]
        move_url, lock_url, csrf = words["move_url"], words["lock_url"], words["csrf"]
    html = []
    for meeting in cells:
        if meeting is None:
            html.append(free)
            continue
        pk, company = meeting["pk"], escape(meeting["company"])
        organisation = escape(meeting["organisation"])
        who = f"{company} ↔ {organisation}"
        status, locked_class = meeting["status"], " grid-locked" if meeting["locked"] else ""
        cell = [
            f'<td id="meeting-{pk}" class="grid-cell{locked_class}">'
            f'<a class="fw-semibold" href="{agenda_url.format(meeting["application_id"])}">'
            f"{company}</a> ↔ "
            f'<a href="{counterpart_agenda_url.format(meeting["counterpart_id"])}">'
            f"{organisation}</a><br>" + badge(status, escape(labels[status]))
        ]
        if meeting["locked"]:
            cell.append(
                f' <span class="badge text-bg-secondary" data-locked="{pk}">{locked}</span>'
            )
        if meeting["invited_at"]:
            cell.append(f' <span class="badge text-bg-light border">{sent}</span>')
        if manage:
            cell.append(
                '<div class="d-flex flex-wrap gap-2 mt-1 small">'
                f'<a href="{move_url.format(pk)}">{move}'
                f'<span class="visually-hidden"> {who}</span></a>'
                f'<form method="post" action="{lock_url.format(pk)}">{csrf}'
                '<input type="hidden" name="locked" '
                f'value="{"0" if meeting["locked"] else "1"}">'
                '<button type="submit" class="btn btn-link btn-sm p-0 align-baseline">'
                f"{unlock if meeting['locked'] else lock}"
                f'<span class="visually-hidden"> {who}</span></button></form></div>'
            )
        cell.append("</td>")
        html.append("".join(cell))
    return mark_safe("".join(html))  # noqa: S308 - every value above is escaped


@register.simple_tag
def participant_items(participants, unavailable, current) -> str:
    """The ``<li>`` of each participant of the unavailabilities page
    (``meetings.selectors.grid_participant_names``), with how many slots each cannot
    meet in: hundreds at ten times Toronto's size, written in a loop of strings."""
    kinds = {True: escape(_("Company")), False: escape(_("Counterpart"))}
    html = []
    for key, name, company in participants:
        mark = ' aria-current="true" class="fw-semibold"' if key == current else ""
        count = unavailable.get(key, 0)
        if count:
            slots = ngettext(
                "%(total)s slot unavailable", "%(total)s slots unavailable", count
            ) % {"total": count}
            detail = f"{kinds[company]}, {slots}"
        else:
            detail = kinds[company]
        html.append(
            f'<li class="mb-1"><a href="?participant={escape(key)}"{mark}>{escape(name)}</a>'
            f' <span class="small text-body-secondary">({detail})</span></li>'
        )
    return mark_safe("".join(html))  # noqa: S308 - every value above is escaped


@register.simple_tag(takes_context=True)
def agenda_rows(context, meetings) -> str:
    """The ``<tr>`` of each meeting of an agenda's day (``meetings/agenda.html``), as its
    loop wrote them: the time in the destination's zone (and Paris's), who is met, the
    table, the status and, when past, the link to record the outcome."""
    zone = zoneinfo.ZoneInfo(context["mission"].timezone)
    zone_label = escape(str(context["zone_label"]))
    paris = time_writer(context["paris"], "H:i") if context["show_paris"] else None
    company_side = context["side"] == "company"
    outcome = context.get("can_record_outcome")
    now = context.get("now") if outcome else None
    kinds = labels_of(CounterpartKind.choices)
    statuses = labels_of(MeetingStatus.choices)
    link = link_of("meetings:meeting_outcome")
    record = escape(_("Record the outcome"))
    # Each cell's column, which a phone shows above it (the table read as cards).
    time_label, kind_label, table_label = escape(_("Time")), escape(_("Kind")), escape(_("Table"))
    status_label, outcome_label = escape(_("Status")), escape(_("Outcome"))
    html = []
    for meeting in meetings:
        slot = meeting.slot
        starts = timezone.localtime(slot.starts_at, zone)
        ends = timezone.localtime(slot.ends_at, zone)
        cells = [
            f'<tr id="meeting-{meeting.pk}"><td data-label="{time_label}">'
            f'<time datetime="{format(starts, "c")}">'
            f"{format(starts, 'H:i')}</time>–{format(ends, 'H:i')}"
            f' <span class="text-body-secondary">({zone_label})</span>'
        ]
        if paris:
            paris_time = paris(slot.starts_at)
            cells.append(f'<br><small class="text-body-secondary paris-time">{paris_time}</small>')
        cells.append("</td>")
        if company_side:
            counterpart = meeting.counterpart
            name = escape(counterpart.organisation)
            city = (
                f'<br><small class="text-body-secondary">{escape(counterpart.city)}</small>'
                if counterpart.city
                else ""
            )
            cells.append(
                f'<th scope="row">{name}{city}</th>'
                f'<td data-label="{kind_label}">{kinds[counterpart.kind]}</td>'
            )
        else:
            name = escape(meeting.application.company.name)
            cells.append(f'<th scope="row">{name}</th>')
        cells.append(
            f'<td data-label="{table_label}">{meeting.table}</td>'
            f'<td data-label="{status_label}">'
            f"{badge(meeting.status, statuses[meeting.status])}</td>"
        )
        if outcome:
            if slot.starts_at <= now:
                cells.append(
                    f'<td data-label="{outcome_label}"><a href="{link.format(meeting.pk)}">'
                    f'{record}<span class="visually-hidden"> — {name}</span></a></td>'
                )
            else:
                cells.append(f'<td data-label="{outcome_label}">—</td>')
        cells.append("</tr>")
        html.append("".join(cells))
    return mark_safe("".join(html))  # noqa: S308 - every value above is escaped
