"""Time zones named as people name them, in their language (core.zones.zone_city)."""

import zoneinfo

import pytest
from django.utils import translation

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
        # A zone CLDR names no city for: the last part of its name.
        ("America/Argentina/La_Rioja", "La Rioja", "La Rioja"),
    ],
)
def test_a_zone_is_named_after_its_city_in_the_readers_language(zone, french, english):
    with translation.override("fr"):
        assert zone_city(zone) == french
    with translation.override("en"):
        assert zone_city(zone) == english


@pytest.mark.parametrize("language", ["fr", "en"])
def test_every_zone_has_a_name_in_both_languages(language):
    """All of them (some 600): sampling them missed the few CLDR names no city for."""
    with translation.override(language):
        names = {zone: zone_city(zone) for zone in zoneinfo.available_timezones()}

    assert [zone for zone, name in names.items() if not name.strip()] == []
    assert [name for name in names.values() if "_" in name or "/" in name] == []
