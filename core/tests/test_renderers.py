"""The selects written in Python read exactly as Django's templates write them, and the
filters as crispy writes them."""

from html.parser import HTMLParser

from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field
from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils import translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy
from hypothesis import given
from hypothesis import strategies as st

from core.renderers import PortalFormRenderer, filter_field

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


@given(
    kind=st.sampled_from(["select", "text", "checkbox"]),
    label=texts.filter(str.strip),
    help_text=texts,
    value=texts,
    errors=st.lists(texts.filter(str.strip), max_size=2),
    language=st.sampled_from(["fr", "en"]),
)
def test_filter_field_is_crispy_s_html(kind, label, help_text, value, errors, language):
    field = {
        "select": lambda: forms.ChoiceField(choices=[("", "All"), ("a", "<A>"), ("b", "B")]),
        "text": lambda: forms.CharField(
            widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"})
        ),
        "checkbox": lambda: forms.BooleanField(widget=forms.CheckboxInput),
    }[kind]()
    field.required, field.label, field.help_text = False, label, help_text

    class Filters(forms.Form):
        pass

    Filters.base_fields = {"choice": field}
    def bound_field():
        form = Filters({"choice": value})
        form.is_valid()
        for error in errors:
            form.add_error("choice", error)
        return form["choice"]

    with translation.override(language):
        # Each on its own form: crispy adds its classes to the widget it renders.
        expected = as_crispy_field(bound_field())
        written = filter_field(bound_field())

    assert _Tree(written).events == _Tree(expected).events
