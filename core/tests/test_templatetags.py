"""Times are shown in the zone of the place they happen, and say which zone."""

import datetime

from django.utils import translation

from core.templatetags.portal_tags import time_in_zone

UTC = datetime.UTC


def test_time_in_zone_summer_toronto_is_utc_minus_four():
    moment = datetime.datetime(2019, 7, 8, 13, 30, tzinfo=UTC)

    with translation.override("fr"):
        html = time_in_zone(moment, "America/Toronto")

    assert 'datetime="2019-07-08T09:30:00-04:00"' in html
    assert "09:30" in html
    assert "(heure de Toronto)" in html


def test_time_in_zone_winter_toronto_is_utc_minus_five_in_english():
    moment = datetime.datetime(2019, 12, 9, 14, 30, tzinfo=UTC)

    with translation.override("en"):
        html = time_in_zone(moment, "America/Toronto")

    assert 'datetime="2019-12-09T09:30:00-05:00"' in html
    assert "(Toronto time)" in html


def test_time_in_zone_without_zone_is_the_citys():
    moment = datetime.datetime(2027, 1, 15, 11, 0, tzinfo=UTC)

    with translation.override("fr"):
        html = time_in_zone(moment)

    assert 'datetime="2027-01-15T12:00:00+01:00"' in html
    assert "(heure de Paris)" in html


def test_time_in_zone_nothing_is_a_dash():
    assert time_in_zone(None, "Asia/Tokyo") == "—"
