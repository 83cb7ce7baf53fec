"""The rows of the applications review list, written in Python.

Drawn by the template, each of the 25 rows of a page cost about 0.15 ms
(bench/profile_page.py), most of the page's time; this writes the same HTML in a loop of
strings. Every value typed by someone is escaped with the standard library's
``html.escape``, as the template would (a Hypothesis test compares them); the translated
sentences are the catalogue's, written as ``blocktranslate`` writes them.
"""

from html import escape

from django import template
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from companies.models import CompanySize
from core.rows import badge, labels_of, link_of, time_writer
from delegations.models import ApplicationStatus

register = template.Library()


def _status(application, words: dict) -> str:
    html = [badge(application.status, words["statuses"][application.status])]
    if application.announcement_pending:
        told = words["statuses"].get(application.announced_status, "")
        html.append(
            f'<br><span class="small fw-semibold text-warning-emphasis" '
            f'data-pending="{application.pk}">'
            + _("Not announced yet: the company still sees “%(status)s”") % {"status": told}
            + "</span>"
        )
    if application.waitlist_position:
        html.append(
            '<br><span class="small">'
            + _("No. %(position)s on the waiting list")
            % {"position": application.waitlist_position}
            + "</span>"
        )
    if application.status == ApplicationStatus.ACCEPTED and application.seat_confirm_by:
        overdue = application.seat_overdue
        words_key = "overdue" if overdue else "confirm_by"
        html.append(
            f'<br><span class="small{" text-danger fw-semibold" if overdue else ""}">'
            f"{words[words_key]} "
            f"{words['time'](application.seat_confirm_by)}</span>"
        )
    return "".join(html)


@register.simple_tag
def review_rows(applications, selectable=False, selected=()) -> str:
    """A ``<tr>`` per application of the page (``applications_for_review``, with
    ``waitlist_position`` and ``seat_overdue`` set by the view); ``selectable``: first a
    check box of the bulk form (ticked for the pks in ``selected``)."""
    words = {
        "verified": _("Verified"),
        "unverified": _("Awaiting verification"),
        "overdue": _("Seat not confirmed in time:"),
        "confirm_by": _("Seat to confirm by"),
        "statuses": labels_of(ApplicationStatus.choices),
        "time": time_writer(fmt="SHORT_DATETIME_FORMAT"),
    }
    sizes = labels_of(CompanySize.choices)
    link = link_of("delegations:review_application")
    html = []
    for application in applications:
        company = application.company
        sectors = ", ".join(str(sector) for sector in company.sectors.all())
        verification = (
            badge("approved", words["verified"])
            if company.verified
            else badge("selection", words["unverified"])
        )
        submitted = words["time"](application.submitted_at)
        score = application.internal_score
        score = "—" if score is None else f'{score}<span class="visually-hidden"> / 10</span>'
        box = ""
        if selectable:
            pk, ticked = application.pk, " checked" if application.pk in selected else ""
            box = (
                f'<td><input class="form-check-input" type="checkbox" name="selected" '
                f'value="{pk}" form="bulk-form" id="select-{pk}"{ticked}>'
                f'<label class="visually-hidden" for="select-{pk}">'
                f"{escape(company.name)}</label></td>"
            )
        html.append(
            f'<tr>{box}<th scope="row"><a href="{link.format(application.pk)}">'
            f"{escape(company.name)}</a></th>"
            f"<td>{escape(sectors) or '—'}</td>"
            f"<td>{sizes[company.size] or '—'}</td>"
            f"<td>{escape(company.city) or '—'}</td>"
            f"<td>{verification}</td>"
            f'<td class="small">{submitted}</td>'
            f'<td class="text-end">{score}</td>'
            f"<td>{_status(application, words)}</td></tr>"
        )
    return mark_safe("".join(html))  # noqa: S308 - every value above is escaped
