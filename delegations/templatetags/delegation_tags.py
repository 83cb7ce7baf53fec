"""The delegation page's company cards, written in Python.

A page of the delegation holds 30 companies with their delegates; drawn by the template,
each card cost about 0.3 ms (bench/profile_page.py). This writes the same HTML in a loop
of strings, escaping what people typed as the template would, the catalogue's sentences as
``translate`` writes them (a Hypothesis test compares them).
"""

from html import escape

from django import template
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from companies.models import CompanySize
from core.rows import labels_of

register = template.Library()


def _delegate(contact, show_contacts: bool) -> str:
    html = [f"<li>{escape(contact.first_name)} {escape(contact.last_name)}"]
    if contact.job_title:
        html.append(f", {escape(contact.job_title)}")
    if show_contacts:
        email = escape(contact.email)
        html.append(f' — <a href="mailto:{email}">{email}</a>')
        if contact.phone:
            html.append(f" · {escape(contact.phone)}")
    html.append("</li>")
    return "".join(html)


@register.simple_tag
def delegation_cards(applications, show_contacts) -> str:
    """A card per application of a sector (``delegation_by_sector``, grouped by
    ``by_sector``): the company, its other sectors, its delegates (with their contact
    details when ``show_contacts``)."""
    sizes = labels_of(CompanySize.choices)
    also, delegates_word = _("Also:"), _("Delegates")
    nobody = _("No delegate named yet.")
    html = []
    for application in applications:
        company = application.company
        facts = []
        if company.city:
            facts.append(escape(company.city))
        if company.size:
            facts.append(sizes[company.size])
        if company.website:
            website = escape(company.website)
            facts.append(f'<a href="{website}" rel="noopener">{website}</a>')
        html.append(
            '<li class="card mb-2 delegation-company"><div class="card-body">'
            f'<h4 class="h5 card-title">{escape(company.name)}</h4>'
            f'<p class="card-text mb-1 small text-body-secondary">{" · ".join(facts)}</p>'
        )
        if application.other_sectors:
            others = escape(", ".join(str(sector) for sector in application.other_sectors))
            html.append(f'<p class="card-text mb-1 small">{also} {others}</p>')
        delegates = application.delegates.all()
        if delegates:
            html.append(
                f'<p class="card-text mb-0 fw-semibold">{delegates_word}</p><ul class="mb-0">'
            )
            html.extend(_delegate(contact, show_contacts) for contact in delegates)
            html.append("</ul>")
        else:
            html.append(f'<p class="card-text mb-0 text-body-secondary">{nobody}</p>')
        html.append("</div></li>")
    return mark_safe("".join(html))  # noqa: S308 - every value above is escaped
