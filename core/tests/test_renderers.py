"""The selects written in Python read exactly as Django's templates write them, and the
filters as crispy writes them."""

from html.parser import HTMLParser

from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field, as_crispy_form
from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils import translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy
from hypothesis import given
from hypothesis import strategies as st

from core.forms import ChoicesOnce, ChoicesOnceSelect
from core.renderers import PortalFormRenderer, field_group, form_fields

texts = st.text(st.characters(blacklist_categories=("Cs",)), max_size=12)
values = st.one_of(texts, st.integers(-(10**6), 10**6), st.booleans(), st.none())
labels = st.one_of(
    texts,
    st.integers(-(10**7), 10**7),
    st.decimals(allow_nan=False, allow_infinity=False, places=2, min_value=-1000, max_value=1000),
    texts.map(mark_safe),
    st.just(gettext_lazy("French")),
)
options = st.lists(st.tuples(values, labels), max_size=6)
choices = st.lists(
    st.one_of(st.tuples(values, labels), st.tuples(texts.filter(bool), options)), max_size=6
)
attrs = st.dictionaries(
    st.text('abcdefgh-_<"&', min_size=1, max_size=6),
    st.one_of(st.booleans(), texts, st.integers()),
    max_size=3,
)


def _rendered(renderer, widget, value, widget_attrs):
    return widget.render("field-<name>", value, attrs=widget_attrs, renderer=renderer)


@given(
    choices=choices,
    value=st.one_of(values, st.lists(values, max_size=3)),
    widget_attrs=attrs,
    multiple=st.booleans(),
    language=st.sampled_from(["fr", "en"]),
)
def test_select_is_django_s_html(choices, value, widget_attrs, multiple, language):
    widget = (forms.SelectMultiple if multiple else forms.Select)(choices=choices)

    with translation.override(language):
        expected = _rendered(DjangoTemplates(), widget, value, widget_attrs)
        written = _rendered(PortalFormRenderer(), widget, value, widget_attrs)

    assert written == expected


# Few values, so that several options share one and a value chosen twice is likely; group
# names Django writes no <optgroup> for.
few_values = st.one_of(st.sampled_from(["", "a", "b", "0", "None"]), st.none(), st.integers(0, 2))
few_options = st.lists(st.tuples(few_values, labels), max_size=5)
choices_with_repeats = st.lists(
    st.one_of(
        st.tuples(few_values, labels),
        st.tuples(st.one_of(texts, st.just(""), st.just(0)), few_options),
    ),
    max_size=6,
)


def _values_of(choices) -> list:
    return [
        value
        for key, label in choices
        for value, _ in (label if isinstance(label, list | tuple) else [(key, label)])
    ]


@given(
    choices=st.one_of(choices, choices_with_repeats),
    other_values=st.one_of(few_values, st.lists(few_values, max_size=3), values),
    widget_attrs=attrs,
    language=st.sampled_from(["fr", "en"]),
    data=st.data(),
)
def test_a_select_of_choices_once_is_django_s_html(
    choices, other_values, widget_attrs, language, data
):
    """Its options written once a language, the chosen one marked, read as Django's
    select of the same choices; a template that is not the portal's still finds them.
    The value chosen is often one or several of the choices' own."""
    value = other_values
    if _values_of(choices) and data.draw(st.booleans()):
        value = data.draw(st.lists(st.sampled_from(_values_of(choices)), min_size=1, max_size=3))
    once = ChoicesOnceSelect(choices=ChoicesOnce(lambda: choices))

    with translation.override(language):
        expected = _rendered(DjangoTemplates(), forms.Select(choices=choices), value, widget_attrs)
        for renderer in (PortalFormRenderer(), DjangoTemplates()):
            assert _rendered(renderer, once, value, widget_attrs) == expected
            # Drawn again: the options written the first time, another value chosen.
            assert _rendered(renderer, once, None, {}) == _rendered(
                DjangoTemplates(), forms.Select(choices=choices), None, {}
            )


def test_choices_once_are_made_once_a_language_and_shared_by_the_forms():
    made = []

    def make():
        made.append(translation.get_language())
        return [("", "---"), ("fr", gettext_lazy("French"))]

    class Form(forms.Form):
        language = forms.ChoiceField(choices=ChoicesOnce(make), widget=ChoicesOnceSelect)

    with translation.override("en"):
        first, second = Form(), Form({"language": "fr"})
        assert first.fields["language"].choices is second.fields["language"].choices
        assert '<option value="fr">French</option>' in str(first["language"])
        assert second.is_valid() and second.cleaned_data["language"] == "fr"
        assert not Form({"language": "de"}).is_valid()
    with translation.override("fr"):
        assert '<option value="fr" selected>Français</option>' in str(second["language"])
    assert made == ["en", "fr"]


INPUTS = [
    forms.TextInput,
    forms.NumberInput,
    forms.EmailInput,
    forms.URLInput,
    forms.PasswordInput,
    forms.HiddenInput,
    forms.DateInput,
    forms.DateTimeInput,
    forms.TimeInput,
    forms.CheckboxInput,
    forms.Textarea,
]


@given(
    widget=st.sampled_from(INPUTS),
    value=st.one_of(values, labels),
    widget_attrs=attrs,
    language=st.sampled_from(["fr", "en"]),
)
def test_inputs_are_django_s_html(widget, value, widget_attrs, language):
    with translation.override(language):
        expected = _rendered(DjangoTemplates(), widget(), value, widget_attrs)
        written = _rendered(PortalFormRenderer(), widget(), value, widget_attrs)

    assert written == expected


def test_the_portal_renders_its_forms_with_it(settings):
    from django.forms.renderers import get_default_renderer

    get_default_renderer.cache_clear()
    try:
        assert isinstance(get_default_renderer(), PortalFormRenderer)
    finally:
        get_default_renderer.cache_clear()


def test_other_widgets_are_left_to_django():
    class Form(forms.Form):
        sectors = forms.MultipleChoiceField(
            choices=[("1", "Maritime")], widget=forms.CheckboxSelectMultiple
        )
        name = forms.CharField()

    for name in ("sectors", "name"):
        assert (
            Form(renderer=PortalFormRenderer())[name].as_widget()
            == Form(renderer=DjangoTemplates())[name].as_widget()
        )


class _Tree(HTMLParser):
    """Elements, attributes and text of a fragment, whitespace between them left out."""

    def __init__(self, markup):
        super().__init__()
        self.events = []
        self.feed(markup)

    def handle_starttag(self, tag, attrs):
        self.events.append(("open", tag, sorted(attrs)))

    def handle_endtag(self, tag):
        self.events.append(("close", tag))

    def handle_data(self, data):
        if data.strip():
            self.events.append(("text", data.strip()))


WIDGETS = {
    "select": lambda: forms.Select(choices=[("", "All"), ("a", "<A>"), ("b", "B")]),
    "select multiple": lambda: forms.SelectMultiple(choices=[("a", "A"), ("b", "B")]),
    "search": lambda: forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    "text with a class": lambda: forms.TextInput(attrs={"class": "font-monospace"}),
    "textarea": lambda: forms.Textarea(attrs={"rows": 3}),
    "number": forms.NumberInput,
    "date": lambda: forms.DateInput(attrs={"type": "date"}),
    "email": forms.EmailInput,
    "checkbox": forms.CheckboxInput,
    "radios": lambda: forms.RadioSelect(choices=[("a", "A"), ("b", "B")]),
    "checkboxes": lambda: forms.CheckboxSelectMultiple(choices=[("a", "A"), ("b", "B")]),
    "grouped checkboxes": lambda: forms.CheckboxSelectMultiple(
        choices=[("Group", [("a", "A"), ("b", "B")]), ("c", "C")]
    ),
    "file": forms.ClearableFileInput,
    "hidden": forms.HiddenInput,
}


def _form(widgets, required, label, help_text, value, errors, non_field_errors):
    class Form(forms.Form):
        pass

    Form.base_fields = {
        f"field_{number}": forms.CharField(
            widget=WIDGETS[kind](), required=required, label=label, help_text=help_text
        )
        for number, kind in enumerate(widgets)
    }
    form = Form(dict.fromkeys(Form.base_fields, value))
    form.is_valid()
    for name in Form.base_fields:
        for error in errors:
            form.add_error(name, error)
    for error in non_field_errors:
        form.add_error(None, error)
    return form


fields = {
    "required": st.booleans(),
    "label": texts,
    "help_text": texts,
    "value": st.one_of(texts, st.just("a")),
    "errors": st.lists(texts.filter(str.strip), max_size=2),
    "non_field_errors": st.lists(texts.filter(str.strip), max_size=2),
}


@given(kind=st.sampled_from(sorted(WIDGETS)), language=st.sampled_from(["fr", "en"]), **fields)
def test_field_group_is_crispy_s_html(kind, language, **field):
    with translation.override(language):
        # Each on its own form: crispy adds its classes to the widget it renders.
        expected = as_crispy_field(_form([kind], **field)["field_0"])
        written = field_group(_form([kind], **field)["field_0"])

    assert _Tree(written).events == _Tree(expected).events


@given(kinds=st.lists(st.sampled_from(sorted(WIDGETS)), max_size=4), **fields)
def test_form_fields_is_crispy_s_html(kinds, **field):
    expected = as_crispy_form(_form(kinds, **field))
    written = form_fields(_form(kinds, **field))

    assert _Tree(written).events == _Tree(expected).events
