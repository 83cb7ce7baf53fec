"""Pieces of the campaigns shown on other apps' pages, and the outbox's rows."""

from html import escape

from django import template
from django.utils.safestring import mark_safe
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from campaigns.selectors import mission_calls
from core.rows import badge, labels_of, link_of, time_writer
from notifications.kinds import kind_label
from notifications.models import EmailStatus

register = template.Library()


@register.simple_tag
def mission_call_progress(mission) -> list:
    """The mission's calls for applications with their counts, in one query:
    ``{% mission_call_progress mission as calls %}``."""
    return list(mission_calls(mission))


@register.simple_tag
def outbox_rows(emails) -> str:
    """A ``<tr>`` per email of the outbox's page, written in Python: drawn by the
    template, the 50 rows of a page cost about 6 ms (bench/profile_page.py). The same
    HTML; what people or the mail server wrote is escaped as the template would."""
    statuses = labels_of(EmailStatus.choices)
    sent, due = _("Sent"), _("Due")
    time = time_writer(fmt="SHORT_DATETIME_FORMAT")
    kinds = {}
    email_url = link_of("campaigns:email")
    mission_url = link_of("missions:detail")
    html = []
    for email in emails:
        if email.template_key not in kinds:
            kinds[email.template_key] = escape(kind_label(email.template_key))
        name = (
            f'<br><span class="small text-body-secondary">{escape(email.recipient_name)}</span>'
            if email.recipient_name
            else ""
        )
        mission = (
            f'<a href="{mission_url.format(escape(email.mission_slug))}">'
            f"{escape(email.mission_title)}</a>"
            if email.mission_slug
            else "—"
        )
        when = (
            f"{sent} {time(email.sent_at)}"
            if email.sent_at
            else f"{due} {time(email.scheduled_at)}"
        )
        error = (
            escape(Truncator(email.last_error).chars(160))
            if email.status == EmailStatus.FAILED
            else ""
        )
        html.append(
            f'<tr><th scope="row"><a href="{email_url.format(email.pk)}">'
            f"{escape(email.recipient)}</a>{name}</th>"
            f"<td>{kinds[email.template_key]}</td>"
            f"<td>{mission}</td>"
            f"<td>{badge(email.status, statuses[email.status])}</td>"
            f'<td class="text-end">{email.attempts}</td>'
            f'<td class="small">{when}</td>'
            f'<td class="small text-break">{error}</td></tr>'
        )
    return mark_safe("".join(html))  # noqa: S308 - every value above is escaped
