"""The selects written in Python read exactly as Django's templates write them."""

from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils import translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy
from hypothesis import given
from hypothesis import strategies as st

from core.renderers import PortalFormRenderer

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
    st.text("abcdefgh-_<\"&", min_size=1, max_size=6),
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
        assert Form(renderer=PortalFormRenderer())[name].as_widget() == Form(
            renderer=DjangoTemplates()
        )[name].as_widget()
