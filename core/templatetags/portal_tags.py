"""Template helpers shared by every area: times with their zone, status badges."""

import zoneinfo

from django import template
from django.conf import settings
from django.utils import formats, timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from core import numbers, renderers, rows
from core.zones import zone_city

register = template.Library()


register.filter("euros", numbers.euros)


@register.simple_tag
def time_in_zone(value, tzname: str | None = None, fmt: str = "DATETIME_FORMAT"):
    """A moment in a given zone, labelled with it: "9 juillet 2019 09:30 (heure de Toronto)".

    In-person events are shown in the destination's time, never the browser's; without
    a zone, the city's own (deadlines are the city's).
    """
    # Escaped there.
    return mark_safe(rows.time_writer(tzname, fmt)(value))  # noqa: S308


@register.simple_tag
def time_in_zone_text(value, tzname: str | None = None, fmt: str = "DATETIME_FORMAT") -> str:
    """``time_in_zone`` without HTML, for plain-text emails and subjects.

    "8 juillet 2027 09:30 (heure de Toronto)"; escaped like any value where
    autoescaping is on.
    """
    if value is None:
        return "—"
    tzname = tzname or settings.TIME_ZONE
    local = timezone.localtime(value, zoneinfo.ZoneInfo(tzname))
    label = _("%(city)s time") % {"city": zone_city(tzname)}
    return f"{formats.date_format(local, fmt)} ({label})"


@register.simple_tag
def badge(value, label):
    """A status as a coloured label: ``status-<value>`` gives the colour (portal.css)."""
    return format_html('<span class="status-badge status-{}">{}</span>', value, label)


@register.simple_tag
def status_badge(obj, field: str = "status"):
    """The badge of ``obj``'s status (or of another field with choices)."""
    return badge(getattr(obj, field), getattr(obj, f"get_{field}_display")())


@register.filter
def field_group(field):
    """A form field with its label, help and errors, as crispy writes it
    (``core.renderers.field_group``)."""
    return renderers.field_group(field)


@register.filter
def form_fields(form):
    """A form's errors and fields, as ``|crispy`` writes them (``core.renderers``)."""
    return renderers.form_fields(form)
