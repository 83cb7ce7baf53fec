"""Charts of the reports as inline SVG, drawn on the server.

The same markup goes into the page and into the PDF (WeasyPrint draws inline SVG), so
both show the same figures; no script, no external library, no web font. Every text is
escaped: labels come from the data (sector names, companies).
"""

import zlib

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from core.numbers import figure

# The portal's palette (static/css/portal.css): its blue, and a grey for the text.
BAR_COLOUR = "#00468c"
TEXT_COLOUR = "#212529"
MUTED_COLOUR = "#495057"
FONT = "DejaVu Sans, Arial, sans-serif"

WIDTH = 640
LABEL_WIDTH = 210
BAR_AREA = 320
ROW_HEIGHT = 26
TOP = 34
MAX_LABEL = 30


def _short(label: str) -> str:
    return label if len(label) <= MAX_LABEL else label[: MAX_LABEL - 1] + "…"


def bar_chart(title: str, items: list[tuple[str, object]], unit: str = "") -> SafeString:
    """Horizontal bars, one per (label, value), the value printed after each bar.

    A value of ``None`` has no bar and reads "—"; a chart of zeros and unknowns only says
    there is nothing to show yet. The chart is an image for assistive technologies, named
    by its title and described by its figures.
    """
    title = str(title)
    # Ids unique on a page of several charts, and the same in the page and the PDF.
    key = zlib.crc32((title + "|".join(str(label) for label, _value in items)).encode())
    chart_id = f"chart-{key:08x}"
    numbers = [float(value) for _label, value in items if value is not None]
    largest = max(numbers, default=0)
    height = TOP + max(len(items), 1) * ROW_HEIGHT + 8
    description = "; ".join(f"{label}: {figure(value, unit)}" for label, value in items)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="report-chart" role="img" '
        f'width="{WIDTH}" height="{height}" viewBox="0 0 {WIDTH} {height}" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" '
        f'font-family="{FONT}" font-size="12">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(description or _("No data"))}</desc>',
        f'<text x="0" y="16" font-size="14" font-weight="bold" fill="{TEXT_COLOUR}">'
        f"{escape(title)}</text>",
    ]
    if not any(value for _label, value in items):
        # Only zeros and unknowns: a row of empty bars would say less than this.
        parts.append(
            f'<text x="0" y="{TOP + 16}" fill="{MUTED_COLOUR}">'
            f"{escape(_('Nothing to show yet.'))}</text></svg>"
        )
        return mark_safe("".join(parts))  # noqa: S308 -- every text above is escaped
    for row, (label, value) in enumerate(items):
        y = TOP + row * ROW_HEIGHT
        label = str(label)
        parts.append(
            f'<text x="{LABEL_WIDTH - 8}" y="{y + 16}" text-anchor="end" fill="{TEXT_COLOUR}">'
            f"{escape(_short(label))}</text>"
        )
        width = round(BAR_AREA * float(value) / largest, 1) if value and largest else 0
        if width:
            parts.append(
                f'<rect x="{LABEL_WIDTH}" y="{y + 4}" width="{width}" height="{ROW_HEIGHT - 8}" '
                f'fill="{BAR_COLOUR}"/>'
            )
        parts.append(
            f'<text x="{LABEL_WIDTH + width + 6}" y="{y + 16}" fill="{TEXT_COLOUR}">'
            f"{escape(figure(value, unit))}</text>"
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 -- every text above is escaped


def report_charts(kpis) -> list[SafeString]:
    """The four charts of a mission's report, in the order the page shows them."""
    return [
        bar_chart(_("Confirmed companies by sector"), list(kpis.companies_by_sector)),
        bar_chart(_("Meetings: from request to meeting held"), kpis.meetings_funnel),
        bar_chart(_("Held meetings by follow-up stage"), list(kpis.follow_up_stages)),
        bar_chart(_("Budget: planned and actual"), kpis.budget_items, unit="€"),
    ]
