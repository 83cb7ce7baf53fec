"""Money and figures as each language writes them (core.numbers), and amounts as people
type them (core.forms.EurosField)."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from core.forms import EurosField
from core.numbers import euros, figure


@pytest.mark.parametrize(
    ("language", "written"),
    [("fr", "12\xa0100,50\xa0€"), ("en", "€12,100.50")],
)
def test_euros_as_each_language_writes_them(language, written):
    with translation.override(language):
        assert euros(Decimal("12100.5")) == written
        assert euros(None) == "—"
        assert figure(Decimal("12100.5"), "€") == written


def test_figures_are_grouped_by_thousands():
    with translation.override("fr"):
        assert figure(12345) == "12\xa0345"
    with translation.override("en"):
        assert figure(12345) == "12,345"
        assert figure(None) == "—"


@pytest.mark.parametrize(
    ("typed", "amount"),
    [
        ("20000", Decimal("20000")),
        ("20 000,50", Decimal("20000.50")),
        ("20\xa0000,50 €", Decimal("20000.50")),
        ("20\u202f000,5", Decimal("20000.5")),
        ("20000.50", Decimal("20000.50")),
        ("€20,000.50", None),  # English grouping: ambiguous with a French decimal comma
    ],
)
def test_amounts_as_people_type_them(typed, amount):
    field = EurosField(required=False)
    if amount is None:
        with pytest.raises(ValidationError):
            field.clean(typed)
    else:
        assert field.clean(typed) == amount


@pytest.mark.parametrize("typed", ["-5", "abc", "1" * 20, "1,2,3"])
def test_what_is_not_an_amount_is_refused_with_a_message(typed):
    with translation.override("en"):
        form_field = EurosField(required=False)
        with pytest.raises(ValidationError) as error:
            form_field.clean(typed)
    assert error.value.messages


@given(
    amount=st.decimals(min_value=0, max_value=Decimal("9999999999.99"), places=2),
    language=st.sampled_from(["fr", "en"]),
)
def test_an_amount_shown_in_a_language_is_read_back_the_same(amount, language):
    """What a page shows (the field's own rendering) reads back as the same amount."""
    field = EurosField(required=False)
    with translation.override(language):
        shown = field.widget.format_value(field.prepare_value(amount))
        assert field.clean(shown) == amount
