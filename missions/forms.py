"""The staff's forms for a mission and its programme.

Forms only read and check their input; the services validate the rules and write.
"""

import datetime
import functools
import json
import zoneinfo
from pathlib import Path

from django import forms
from django.core.exceptions import ValidationError
from django.forms.fields import BaseTemporalField
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.rules import OFFICIALS_GROUP
from core.dates import DateField, validate_portal_date
from core.forms import ChoicesOnce, ChoicesOnceSelect, EurosField, IntegerField
from core.zones import PARIS, aware_in_zone, zone_city
from missions.enums import ProgrammeItemKind
from missions.models import Mission, Sector

ZONE_TAB = Path("/usr/share/zoneinfo/zone.tab")

# The zone people mean for a country with several; for the others, the only one, or
# the first zone.tab lists. Also the map used where the system has no zone.tab.
MAIN_ZONES = {
    "AE": "Asia/Dubai",
    "AU": "Australia/Sydney",
    "BE": "Europe/Brussels",
    "BR": "America/Sao_Paulo",
    "CA": "America/Toronto",
    "CH": "Europe/Zurich",
    "CI": "Africa/Abidjan",
    "CN": "Asia/Shanghai",
    "DE": "Europe/Berlin",
    "DZ": "Africa/Algiers",
    "ES": "Europe/Madrid",
    "GB": "Europe/London",
    "IL": "Asia/Jerusalem",
    "IN": "Asia/Kolkata",
    "IT": "Europe/Rome",
    "JP": "Asia/Tokyo",
    "KR": "Asia/Seoul",
    "MA": "Africa/Casablanca",
    "MX": "America/Mexico_City",
    "NL": "Europe/Amsterdam",
    "PT": "Europe/Lisbon",
    "RU": "Europe/Moscow",
    "SG": "Asia/Singapore",
    "SN": "Africa/Dakar",
    "TN": "Africa/Tunis",
    "US": "America/New_York",
}


@functools.cache
def country_zones() -> dict[str, list[str]]:
    """Country code → its IANA zones, the main one first."""
    zones: dict[str, list[str]] = {}
    try:
        lines = ZONE_TAB.read_text(encoding="utf-8").splitlines()
    except OSError:
        lines = []
    available = all_zones()
    for line in lines:
        if line.startswith("#") or not line.strip():
            continue
        code, _coordinates, name, *_rest = line.split("\t")
        if name in available:
            zones.setdefault(code, []).append(name)
    for code, main in MAIN_ZONES.items():
        if main in available:
            others = [name for name in zones.get(code, []) if name != main]
            zones[code] = [main, *others]
    return zones


def main_zone(country: str) -> str:
    zones = country_zones().get(str(country or ""), [])
    return zones[0] if zones else ""


@functools.cache
def all_zones() -> frozenset[str]:
    """Every IANA zone of this machine (read from the disk once per process)."""
    return frozenset(zoneinfo.available_timezones() - {"localtime"})


@functools.cache
def _zone_data_attribute() -> str:
    return json.dumps({code: zones[0] for code, zones in country_zones().items()})


@functools.cache
def _zone_choices_once(country: str) -> ChoicesOnce:
    return ChoicesOnce(lambda: zone_choices(country))


def zone_choices_once(country) -> ChoicesOnce:
    """``zone_choices`` made once a process for each country (any other value: as none)."""
    country = str(country or "")
    return _zone_choices_once(country if country in country_zones() else "")


def zone_choices(country: str) -> list:
    """The zones of the country first, then every other zone."""
    own = country_zones().get(str(country or ""), [])
    others = sorted(all_zones() - set(own))
    choices = [("", _("Proposed from the country"))]
    if own:
        choices.append((_("Zones of the country"), [(zone, zone) for zone in own]))
    choices.append((_("Other zones"), [(zone, zone) for zone in others]))
    return choices


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%dT%H:%M")


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class WallClockDateTimeField(forms.DateTimeField):
    """A date and time as read on a clock in a zone the form knows, not the browser's.

    With ``zone``, the cleaned value is aware in that zone; without, it stays naive
    and the service reads it in the mission's zone. Aware initial values are shown
    in the zone (or as they are, if naive).
    """

    widget = DateTimeLocalInput

    def __init__(self, *, zone: zoneinfo.ZoneInfo | None = None, **kwargs):
        self.zone = zone
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if isinstance(value, datetime.datetime) and timezone.is_aware(value) and self.zone:
            return timezone.localtime(value, self.zone).replace(tzinfo=None)
        return value

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, datetime.datetime):
            result = value
        else:
            try:
                result = parse_datetime(value.strip())
            except ValueError:
                raise ValidationError(self.error_messages["invalid"], code="invalid") from None
            if not result:
                # The formats of the active language (skipping forms.DateTimeField, which
                # would read the time in the current time zone).
                result = BaseTemporalField.to_python(self, value)
        # Before reading it in a zone: year 1 or 9999 cannot be converted to UTC.
        validate_portal_date(result.replace(tzinfo=None))
        if self.zone is not None:
            result = aware_in_zone(result, self.zone)
        return result

    def strptime(self, value, format):
        return datetime.datetime.strptime(value, format)


def _country_field() -> forms.Field:
    """The mission's country, its 250 options made once a process and language."""
    field = Mission._meta.get_field("country").formfield(
        label=_("Destination country"), widget=ChoicesOnceSelect
    )
    countries = field.choices
    field.choices = ChoicesOnce(lambda: countries)
    return field


class MissionForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    country = _country_field()
    cities = forms.CharField(
        label=_("Destination cities"), max_length=300, help_text=_("Separated by commas.")
    )
    timezone = forms.ChoiceField(
        label=_("Destination time zone"),
        required=False,
        help_text=_(
            "Proposed from the country; change it for a city in another zone. "
            "Programme times are entered in this zone."
        ),
        widget=ChoicesOnceSelect,
        error_messages={
            "invalid_choice": _(
                "“%(value)s” is not a known time zone (expected e.g. America/Toronto)."
            )
        },
    )
    start_date = DateField(label=_("Start date"), required=False, widget=DateInput)
    end_date = DateField(label=_("End date"), required=False, widget=DateInput)
    sectors = forms.ModelMultipleChoiceField(
        label=_("Sectors"),
        queryset=Sector.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    # The rule (at least 1) is the service's, with its own message.
    capacity = IntegerField(
        label=_("Capacity (companies)"),
        max_value=1000,
        widget=forms.NumberInput(attrs={"min": 1}),
    )
    applications_open_at = WallClockDateTimeField(
        zone=PARIS, label=_("Applications open (Paris time)"), required=False
    )
    application_deadline = WallClockDateTimeField(
        zone=PARIS,
        label=_("Application deadline (Paris time)"),
        required=False,
        help_text=_("Before the start date."),
    )
    partners = forms.CharField(label=_("Partners"), required=False, widget=forms.Textarea)
    officials = forms.ModelMultipleChoiceField(
        label=_("Accompanying officials"),
        queryset=User.objects.filter(groups__name=OFFICIALS_GROUP).order_by(
            "last_name", "first_name"
        ),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    budget_planned = EurosField(label=_("Planned budget (€)"), required=False)
    budget_actual = EurosField(
        label=_("Actual budget (€)"),
        required=False,
        help_text=_(
            "What the mission cost, once the bills are in: the report's cost per company "
            "and per meeting come from it."
        ),
    )
    summary = forms.CharField(label=_("Summary"), max_length=300, required=False)
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea)
    objectives = forms.CharField(label=_("Objectives"), required=False, widget=forms.Textarea)
    version = IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.editing = editing
        self.fields["version"].required = editing
        if not editing:
            del self.fields["budget_actual"]  # a mission being created has cost nothing
        country = self.data.get("country") if self.is_bound else self.initial.get("country")
        self.fields["timezone"].choices = zone_choices_once(country)
        # For static/js/mission-form.js: the zones of each country, to propose one.
        self.fields["timezone"].widget.attrs["data-main-zones"] = _zone_data_attribute()
        self.fields["country"].widget.attrs["data-zone-target"] = "id_timezone"

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("timezone") and cleaned.get("country"):
            cleaned["timezone"] = main_zone(cleaned["country"])
        if not cleaned.get("timezone") and "timezone" not in self.errors:
            self.add_error("timezone", _("Choose the time zone: none is known for this country."))
        return cleaned

    def service_fields(self) -> dict:
        fields = dict(self.cleaned_data)
        fields.pop("version", None)
        return fields


class ProgrammeItemForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=ProgrammeItemKind.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    city = forms.CharField(label=_("City"), max_length=100, required=False)
    location = forms.CharField(label=_("Venue"), max_length=200, required=False)
    starts_at = WallClockDateTimeField(label=_("Starts"))
    ends_at = WallClockDateTimeField(label=_("Ends"))
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, mission: Mission, **kwargs):
        super().__init__(*args, **kwargs)
        self.mission = mission
        city = zone_city(mission.timezone)
        # Shown as entered: wall-clock times at the destination.
        for name, label in (
            ("starts_at", _("Starts (%(city)s time)")),
            ("ends_at", _("Ends (%(city)s time)")),
        ):
            self.fields[name].label = label % {"city": city}

    @staticmethod
    def initial_of(item) -> dict:
        zone = item.mission.zone
        return {
            "kind": item.kind,
            "title": item.title,
            "city": item.city,
            "location": item.location,
            "starts_at": timezone.localtime(item.starts_at, zone).replace(tzinfo=None),
            "ends_at": timezone.localtime(item.ends_at, zone).replace(tzinfo=None),
            "description": item.description,
        }
