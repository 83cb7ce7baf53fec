"""Time zones: the city's own, and wall-clock times read in a destination's zone.

Times are stored in UTC; mission and meeting times are shown in the destination's zone,
always labelled with it ("09:30 Toronto time"); deadlines are the city's (Paris).
"""

import datetime
import zoneinfo

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

PARIS = zoneinfo.ZoneInfo("Europe/Paris")


def zone_city(tzname: str) -> str:
    """'America/Toronto' -> 'Toronto', the way people name a time zone."""
    return tzname.rsplit("/", 1)[-1].replace("_", " ")


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
