"""The roster's rows, written in Python.

The roster is made to print: every delegate of the delegation on one page, hundreds of
rows at ten times Toronto's size. Drawn by the template, each row cost about 0.1 ms
(bench/profile_page.py); this writes the same HTML in a loop of strings.
"""

from html import escape  # Django's own calls this, through a slower wrapper

from django import template
from django.utils.safestring import mark_safe

from accounts.models import Language
from core.rows import labels_of

register = template.Library()


@register.simple_tag
def roster_rows(delegates) -> str:
    """A ``<tr>`` per row of ``delegations.selectors.roster_of``."""
    languages = labels_of(Language.choices)
    html = []
    for company, last_name, first_name, job_title, email, phone, language in delegates:
        email = escape(email)
        html.append(
            f"<tr><td>{escape(company)}</td>"
            f'<th scope="row">{escape(last_name)} {escape(first_name)}</th>'
            f"<td>{escape(job_title) or '—'}</td>"
            f'<td><a href="mailto:{email}">{email}</a></td>'
            f"<td>{escape(phone) or '—'}</td>"
            f"<td>{languages[language]}</td></tr>"
        )
    return mark_safe("".join(html))  # noqa: S308 - every value above is escaped
