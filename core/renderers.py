"""The portal's form renderer: Django's, with the select widgets written in Python; and the
filters of the list pages, written in Python too.

Django renders each ``<option>`` of a ``<select>`` through two template includes. A list of
countries (250) or time zones (400) then costs tens of milliseconds a page, most of a form
page's time. This renderer writes exactly the HTML of Django's ``select.html``,
``select_option.html`` and ``attrs.html`` (a test compares them on explored inputs), and
leaves every other template to Django.
"""

import html

from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils.formats import localize
from django.utils.html import format_html, format_html_join
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


def filter_field(field) -> str:
    """A filter of a list page (a select, a text or a checkbox) as crispy's Bootstrap 5
    pack writes it: the same elements, classes, ids and ARIA links (a test compares them),
    written here because a list page shows five to seven filters on every request.

    The widget itself is still rendered by the form renderer (selects: above)."""
    widget = field.field.widget
    checkbox = isinstance(widget, forms.CheckboxInput)
    if checkbox:
        classes = "checkboxinput form-check-input"
    elif isinstance(widget, forms.Select):
        classes = "select form-select"
    else:
        classes = "textinput form-control"
    if existing := widget.attrs.get("class"):
        classes = f"{existing} {classes}"
    errors = field.errors
    attrs = {"class": f"{classes} is-invalid" if errors else classes}
    if errors:
        described_by = [f"{field.auto_id}_helptext"] if field.help_text else []
        attrs["aria-describedby"] = " ".join([*described_by, f"{field.auto_id}_error"])
    control = field.as_widget(attrs=attrs)
    label = format_html(
        '<label for="{}" class="{}">{}</label>',
        field.id_for_label,
        "form-check-label" if checkbox else "form-label",
        field.label,
    )
    feedback = mark_safe("")
    if errors:
        feedback = format_html(
            '<div id="{}_error" class="invalid-feedback">{}</div>',
            field.auto_id,
            format_html_join(
                "",
                '<p id="error_{}_{}"><strong>{}</strong></p>',
                ((number, field.auto_id, error) for number, error in enumerate(errors, 1)),
            ),
        )
    if field.help_text:
        feedback += format_html(
            '<div id="{}_helptext" class="form-text">{}</div>',
            field.auto_id,
            # Written by the portal's code, HTML allowed: as Django and crispy show it.
            mark_safe(field.help_text),  # noqa: S308
        )
    if checkbox:
        return format_html(
            '<div class="mb-3"><div id="div_{}" class="form-check">{}{}{}</div></div>',
            field.auto_id,
            control,
            label,
            feedback,
        )
    return format_html(
        '<div id="div_{}" class="mb-3">{}{}{}</div>', field.auto_id, label, control, feedback
    )
