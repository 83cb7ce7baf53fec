"""Time zones: the city's own, and wall-clock times read in a destination's zone.

Times are stored in UTC; mission and meeting times are shown in the destination's zone,
always labelled with it ("09:30 Toronto time"); deadlines are the city's (Paris).
"""

import datetime
import functools
import zoneinfo

from babel import Locale
from babel.core import get_global
from babel.dates import get_timezone, get_timezone_location
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

PARIS = zoneinfo.ZoneInfo("Europe/Paris")


def zone_city(tzname: str) -> str:
    """The city a time zone is named after, in the reader's language, as the Unicode
    CLDR writes it: 'Europe/Lisbon' -> 'Lisbonne' in French, 'Lisbon' in English."""
    return _zone_city(tzname, translation.get_language() or settings.LANGUAGE_CODE)


@functools.lru_cache(maxsize=1024)
def _zone_city(tzname: str, language: str) -> str:
    own = tzname.rsplit("/", 1)[-1].replace("_", " ")
    # An old name (America/Montreal) is CLDR's alias of another city's zone: its own city.
    if tzname in get_global("zone_aliases"):
        return own
    try:
        city = get_timezone_location(
            get_timezone(tzname), locale=Locale.parse(language, sep="-"), return_city=True
        )
    except (LookupError, ValueError):
        return own
    # A zone CLDR names no city for comes back as its path ("Argentina/La Rioja").
    return city.rsplit("/", 1)[-1]


def aware_in_zone(value: datetime.datetime, zone: zoneinfo.ZoneInfo) -> datetime.datetime:
    """A wall-clock time read in ``zone``, as an aware datetime.

    A time the clocks skip (spring forward) does not exist: refused. A time that
    happens twice (fall back) is taken at its first occurrence, before the clocks go
    back (``fold=0``), unless the value says otherwise: that is what people mean by
    "01:30" on that night, and a datetime-local input cannot say more.
    """
    if timezone.is_aware(value):
        return value
    aware = value.replace(tzinfo=zone)
    round_trip = aware.astimezone(datetime.UTC).astimezone(zone).replace(tzinfo=None)
    if round_trip != value.replace(fold=0):
        raise ValidationError(
            _(
                "%(time)s does not exist in %(zone)s: the clocks skip that hour that night "
                "(daylight saving time). Choose another time."
            ),
            code="nonexistent_time",
            params={"time": value.strftime("%Y-%m-%d %H:%M"), "zone": zone.key},
        )
    # In UTC at once: a time of the repeated hour compares unequal to any other zone's.
    return aware.astimezone(datetime.UTC)
