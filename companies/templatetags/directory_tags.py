"""The rows of the company directory, written in Python.

Drawn by the template, the 25 rows of a page cost about 2.9 ms in process
(bench/profile_page.py); this writes the same HTML in a loop of strings. Every value typed
by someone is escaped with the standard library's ``html.escape``, as the template would
(a Hypothesis test compares them).
"""

from html import escape

from django import template
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from companies.models import CompanySize
from core.rows import badge, labels_of, link_of

register = template.Library()


@register.simple_tag
def directory_rows(companies) -> str:
    """A ``<tr>`` per company of the page (``companies.selectors.directory_page``)."""
    sizes = labels_of(CompanySize.choices)
    link = link_of("companies:detail")
    verified = badge("approved", _("Verified"))
    awaiting = badge("selection", _("Awaiting verification"))
    html = []
    for company in companies:
        size, emails = company["size"], company["emails"]
        sectors = ", ".join(escape(name) for name in company["sectors"])
        html.append(
            f'<tr><th scope="row"><a href="{link.format(company["pk"])}">'
            f"{escape(company['name'])}</a></th>"
            f'<td class="text-nowrap">{escape(company["siret"]) or "—"}</td>'
            f"<td>{escape(company['city']) or '—'}</td>"
            f"<td>{sizes[size] or '—'}</td>"
            f"<td>{sectors or '—'}</td>"
            f"<td>{verified if company['verified'] else awaiting}</td>"
            f'<td class="small">{"<br>".join(map(escape, emails)) if emails else "—"}</td></tr>'
        )
    return mark_safe("".join(html))  # noqa: S308 - every value above is escaped
