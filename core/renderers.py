"""The portal's form renderer: Django's, with the inputs, text areas and selects written in
Python; and the fields with their labels, help and errors as crispy writes them, in Python
too.

Django renders each ``<option>`` of a ``<select>`` through two template includes. A list of
countries (250) or time zones (400) then costs tens of milliseconds a page, most of a form
page's time, and each other field costs a few includes more. This renderer writes exactly
the HTML of Django's ``input.html`` (and the templates that only include it),
``textarea.html``, ``select.html``, ``select_option.html`` and ``attrs.html`` (a test
compares them on explored inputs), and leaves every other template to Django.
"""

import html

from django import forms
from django.forms.renderers import DjangoTemplates
from django.template.loader import get_template
from django.utils.formats import localize
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe


def _text(value) -> str:
    """``{{ value }}``: localized, then escaped unless already safe."""
    if hasattr(value, "__html__"):
        return value.__html__()
    return html.escape(value if type(value) is str else str(localize(value)))


def _formatted(value) -> str:
    """``{{ value|stringformat:'s' }}``: as text, escaped unless already safe."""
    if hasattr(value, "__html__"):
        return str(value)
    return html.escape(str(value))


def _attrs(attrs: dict) -> str:
    """``django/forms/widgets/attrs.html``."""
    parts = []
    for name, value in attrs.items():
        if value is False:
            continue
        parts.append(f" {_text(name)}")
        if value is not True:
            parts.append(f'="{_formatted(value)}"')
    return "".join(parts)


def _option(option: dict) -> str:
    """``django/forms/widgets/select_option.html``."""
    value = _formatted(option["value"])
    return f'<option value="{value}"{_attrs(option["attrs"])}>{_text(option["label"])}</option>'


def _select(widget: dict) -> str:
    """``django/forms/widgets/select.html``."""
    parts = [f'<select name="{_text(widget["name"])}"{_attrs(widget["attrs"])}>']
    if "choices_once" in widget:  # core.forms.ChoicesOnceSelect: written once a process
        choices, chosen = widget["choices_once"]
        return f"{parts[0]}{choices.options_html(chosen)}\n</select>"
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


def _input(widget: dict) -> str:
    """``django/forms/widgets/input.html``."""
    value = "" if widget["value"] is None else f' value="{_formatted(widget["value"])}"'
    kind, name = _text(widget["type"]), _text(widget["name"])
    return f'<input type="{kind}" name="{name}"{value}{_attrs(widget["attrs"])}>'


def _textarea(widget: dict) -> str:
    """``django/forms/widgets/textarea.html``."""
    value = _text(widget["value"]) if widget["value"] else ""
    return (
        f'<textarea name="{_text(widget["name"])}"{_attrs(widget["attrs"])}>\n{value}</textarea>'
    )


SELECT = "django/forms/widgets/select.html"
OPTION = "django/forms/widgets/select_option.html"
TEXTAREA = "django/forms/widgets/textarea.html"
# The widgets whose template is only ``{% include "django/forms/widgets/input.html" %}``.
INPUTS = {
    f"django/forms/widgets/{name}.html"
    for name in [
        *["input", "checkbox", "color", "date", "datetime", "email", "hidden", "number"],
        *["password", "search", "tel", "text", "time", "url"],
    ]
}


class PortalFormRenderer(DjangoTemplates):
    def render(self, template_name, context, request=None):
        # Every value written by the functions above is escaped.
        if template_name in INPUTS:
            return mark_safe(_input(context["widget"]))  # noqa: S308
        if template_name == TEXTAREA:
            return mark_safe(_textarea(context["widget"]))  # noqa: S308
        if template_name == SELECT:
            html = _select(context["widget"])
            if html is not None:
                return mark_safe(html)  # noqa: S308
        return super().render(template_name, context, request=request)


# Crispy's Bootstrap 5 field template, for the fields written below in Python: the widgets
# that draw a group of inputs (radios, checkboxes) or a file input are left to it.
CRISPY_FIELD = "bootstrap5/field.html"


def _crispy_classes(widget, bootstrap: str) -> str:
    """The widget's classes as crispy's ``crispy_field`` tag sets them: its own, the
    widget's class name, then Bootstrap's (``form-control is-invalid``...)."""
    name = type(widget).__name__.lower()
    classes = widget.attrs.get("class", "")
    if not classes:
        classes = name
    elif name not in classes:
        classes = f"{classes} {name}"
    for word in bootstrap.split():
        if word not in classes.split():
            classes = f"{classes} {word}"
    return classes


def _errors(field) -> str:
    if not field.errors:
        return mark_safe("")
    return format_html(
        '<div id="{}_error" class="invalid-feedback">{}</div>',
        field.auto_id,
        format_html_join(
            "",
            '<p id="error_{}_{}"><strong>{}</strong></p>',
            ((number, field.auto_id, error) for number, error in enumerate(field.errors, 1)),
        ),
    )


def _help_text(field) -> str:
    if not field.help_text:
        return mark_safe("")
    return format_html(
        '<div id="{}_helptext" class="form-text">{}</div>',
        field.auto_id,
        # Written by the portal's code, HTML allowed: as Django and crispy show it.
        mark_safe(field.help_text),  # noqa: S308
    )


def _wrapper_classes(field) -> str:
    """The classes of the ``div`` around a field, after its own: the form's
    ``required_css_class`` and ``error_css_class``, as crispy adds them."""
    classes = field.css_classes()
    return f" {classes}" if classes else ""


def _label(field, tag: str, classes: str, last_class: str = "") -> str:
    required = field.field.required
    for_id = field.id_for_label
    return format_html(
        '<{}{} class="{}{}{}">{}{}</{}>',
        tag,
        format_html(' for="{}"', for_id) if for_id else "",
        classes,
        " requiredField" if required else "",
        last_class,
        field.label,
        mark_safe('<span class="asteriskField">*</span>') if required else "",
        tag,
    )


def _choice_group(field) -> str:
    """Radios or checkboxes in a fieldset: crispy's ``radio_checkbox_select.html``."""
    widget = field.field.widget
    id_ = widget.attrs.get("id") or field.auto_id
    groups = widget.optgroups(
        field.html_name,
        widget.format_value(field.value()),
        field.build_widget_attrs({"id": id_} if id_ else {}),
    )
    invalid = " is-invalid" if field.errors else ""
    parts = []
    for group_number, (group, options, _index) in enumerate(groups, 1):
        if group:
            parts.append(format_html("<strong>{}</strong>", group))
        for number, option in enumerate(options, 1):
            last = group_number == len(groups) and number == len(options)
            parts.append(
                format_html(
                    '<div class="form-check"><input type="{}" class="form-check-input{}" '
                    'name="{}" value="{}"{}><label for="{}" class="form-check-label">{}</label>'
                    "{}</div>",
                    option["type"],
                    invalid,
                    field.html_name,
                    str(option["value"]),
                    mark_safe(_attrs(option["attrs"])),  # noqa: S308 - escaped there
                    option["attrs"].get("id", ""),
                    str(option["label"]),
                    _errors(field) if last else "",
                )
            )
    choices = format_html("<div>{}</div>{}", mark_safe("".join(parts)), _help_text(field))  # noqa: S308
    extra = _wrapper_classes(field)
    if not field.label:
        return format_html(
            '<div id="div_{}" class="mb-3{}">{}</div>', field.auto_id, extra, choices
        )
    described = f' aria-describedby="{field.aria_describedby}"' if field.aria_describedby else ""
    return format_html(
        '<div id="div_{}" class="mb-3{}"><fieldset{}>{}{}</fieldset></div>',
        field.auto_id,
        extra,
        mark_safe(described),  # noqa: S308 - ids made by Django from the field's name
        _label(field, "legend", "form-label", " fs-6"),
        choices,
    )


def field_group(field) -> str:
    """A form field as crispy's Bootstrap 5 pack writes it (``|crispy``, ``{% crispy %}``,
    ``|as_crispy_field`` without a layout): the same elements, classes, ids and ARIA links
    (a test compares them on explored fields), written in Python because its template costs
    about a millisecond a field, most of a form page's time.

    The widget itself is still rendered by the form renderer (selects: above)."""
    widget = field.field.widget
    if field.is_hidden:
        return field.as_widget()
    if isinstance(widget, forms.FileInput | forms.MultiWidget):
        return get_template(CRISPY_FIELD).render(
            {"field": field, "form_show_errors": True, "form_show_labels": True}
        )
    if isinstance(widget, forms.RadioSelect):  # CheckboxSelectMultiple is one too
        return _choice_group(field)
    errors = field.errors
    checkbox = isinstance(widget, forms.CheckboxInput)
    if checkbox:
        bootstrap = "form-check-input"
    elif isinstance(widget, forms.Select):
        bootstrap = "form-select"
    else:
        bootstrap = "form-control"
    if errors:
        bootstrap += " is-invalid"
    control = field.as_widget(attrs={"class": _crispy_classes(widget, bootstrap)})
    label = ""
    if field.label or checkbox:  # a checkbox has its label, empty or not
        label = _label(field, "label", "form-check-label" if checkbox else "form-label")
    feedback = _errors(field) + _help_text(field)
    extra = _wrapper_classes(field)
    if checkbox:
        return format_html(
            '<div class="mb-3"><div id="div_{}" class="form-check{}">{}{}{}</div></div>',
            field.auto_id,
            extra,
            control,
            label,
            feedback,
        )
    return format_html(
        '<div id="div_{}" class="mb-3{}">{}{}{}</div>',
        field.auto_id,
        extra,
        label,
        control,
        feedback,
    )


def form_fields(form) -> str:
    """A whole form's errors and fields, as crispy's ``|crispy`` writes them."""
    parts = []
    if errors := form.non_field_errors():
        parts.append(
            format_html(
                '<div class="alert alert-block alert-danger"><ul class="m-0">{}</ul></div>',
                format_html_join("", "<li>{}</li>", ((error,) for error in errors)),
            )
        )
    parts.extend(field_group(field) for field in form)
    return mark_safe("".join(parts))  # noqa: S308 - each part is escaped
