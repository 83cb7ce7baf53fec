"""Time zones named as people name them, in their language (core.zones.zone_city)."""

import zoneinfo

import pytest
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from core.zones import zone_city


@pytest.mark.parametrize(
    ("zone", "french", "english"),
    [
        ("Europe/Lisbon", "Lisbonne", "Lisbon"),
        ("Europe/London", "Londres", "London"),
        ("Asia/Jerusalem", "Jérusalem", "Jerusalem"),
        ("America/Toronto", "Toronto", "Toronto"),
        ("America/Argentina/Buenos_Aires", "Buenos Aires", "Buenos Aires"),
        # An old name CLDR folds into another city's zone keeps its own city.
        ("America/Montreal", "Montreal", "Montreal"),
    ],
)
def test_a_zone_is_named_after_its_city_in_the_readers_language(zone, french, english):
    with translation.override("fr"):
        assert zone_city(zone) == french
    with translation.override("en"):
        assert zone_city(zone) == english


@given(zone=st.sampled_from(sorted(zoneinfo.available_timezones())))
def test_every_zone_has_a_name_in_both_languages(zone):
    for language in ("fr", "en"):
        with translation.override(language):
            name = zone_city(zone)
        assert name.strip()
        assert "_" not in name
        assert "/" not in name
