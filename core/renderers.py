"""The portal's form renderer: Django's, with the select widgets written in Python.

Django renders each ``<option>`` of a ``<select>`` through two template includes. A list of
countries (250) or time zones (400) then costs tens of milliseconds a page, most of a form
page's time. This renderer writes exactly the HTML of Django's ``select.html``,
``select_option.html`` and ``attrs.html`` (a test compares them on explored inputs), and
leaves every other template to Django.
"""

import html

from django.forms.renderers import DjangoTemplates
from django.utils.formats import localize
from django.utils.safestring import mark_safe


def _text(value) -> str:
    """``{{ value }}``: localized, then escaped unless already safe."""
    if hasattr(value, "__html__"):
        return value.__html__()
    return html.escape(value if type(value) is str else str(localize(value)))


def _attrs(attrs: dict) -> str:
    """``django/forms/widgets/attrs.html``."""
    parts = []
    for name, value in attrs.items():
        if value is False:
            continue
        parts.append(f" {_text(name)}")
        if value is not True:
            parts.append(f'="{html.escape(str(value))}"')
    return "".join(parts)


def _option(option: dict) -> str:
    """``django/forms/widgets/select_option.html``."""
    value = html.escape(str(option["value"]))
    return f'<option value="{value}"{_attrs(option["attrs"])}>{_text(option["label"])}</option>'


def _select(widget: dict) -> str:
    """``django/forms/widgets/select.html``."""
    parts = [f'<select name="{_text(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, group_choices, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{_text(group_name)}">')
        for option in group_choices:
            if option["template_name"] != OPTION:
                return None
            parts.append(f"\n  {_option(option)}\n")
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return "".join(parts)


SELECT = "django/forms/widgets/select.html"
OPTION = "django/forms/widgets/select_option.html"


class PortalFormRenderer(DjangoTemplates):
    def render(self, template_name, context, request=None):
        if template_name == SELECT:
            html = _select(context["widget"])
            if html is not None:
                return mark_safe(html)  # noqa: S308 - every value above is escaped
        return super().render(template_name, context, request=request)
