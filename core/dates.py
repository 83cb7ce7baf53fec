"""The dates the portal holds: from 1 January 2000 to 31 December 2100.

A mission dated 9999-12-31, or year 1, is a typing slip that calendars cannot hold (the
feed's UTC conversion overflows, a duplicate a year later does not exist). Forms refuse
it by the field (``validate_portal_date``, ``DateField``), and the database refuses it
whatever the path (``portal_date_check``). Datetimes are held in UTC and checked there.
"""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

FIRST_YEAR, LAST_YEAR = 2000, 2100
FIRST_DAY = datetime.date(FIRST_YEAR, 1, 1)
LAST_DAY = datetime.date(LAST_YEAR, 12, 31)
# The instants of that range: [2000-01-01 00:00 UTC, 2101-01-01 00:00 UTC).
FIRST_INSTANT = datetime.datetime(FIRST_YEAR, 1, 1, tzinfo=datetime.UTC)
END_INSTANT = datetime.datetime(LAST_YEAR + 1, 1, 1, tzinfo=datetime.UTC)


def in_portal_range(value: datetime.date | datetime.datetime) -> bool:
    if isinstance(value, datetime.datetime) and value.tzinfo is not None:
        # An aware value near a bound may belong to the next year in UTC.
        return FIRST_INSTANT <= value < END_INSTANT
    return FIRST_YEAR <= value.year <= LAST_YEAR


def out_of_range_error() -> ValidationError:
    return ValidationError(
        _("Enter a date between %(first)s and %(last)s."),
        code="out_of_range",
        params={"first": date_format(FIRST_DAY), "last": date_format(LAST_DAY)},
    )


def validate_portal_date(value) -> None:
    """A date or datetime within the portal's years, or the field's error."""
    if value is not None and not in_portal_range(value):
        raise out_of_range_error()


class DateField(forms.DateField):
    """A form's date, within the portal's years."""

    default_validators = [validate_portal_date]


def portal_date_check(field: str, *, name: str, instant: bool = False) -> models.CheckConstraint:
    """The database's own refusal of a date (``instant``: a datetime) out of range; an
    empty value passes (the field says whether it may be empty)."""
    low, high = (FIRST_INSTANT, END_INSTANT) if instant else (FIRST_DAY, LAST_DAY)
    within = models.Q(**{f"{field}__gte": low}) & models.Q(
        **{f"{field}__lt" if instant else f"{field}__lte": high}
    )
    return models.CheckConstraint(
        condition=within | models.Q(**{f"{field}__isnull": True}), name=name
    )


class OutOfRangeDatesError(RuntimeError):
    """Rows dated beyond what the portal holds: someone must correct them first."""


def report_out_of_range(model, fields: list[str]) -> None:
    """For a data migration before ``portal_date_check``: stop, naming every row and
    field out of range, for someone to correct them (in the admin) and migrate again."""
    problems = []
    for field in fields:
        instant = isinstance(model._meta.get_field(field), models.DateTimeField)
        low, high = (FIRST_INSTANT, END_INSTANT) if instant else (FIRST_DAY, LAST_DAY)
        outside = model._default_manager.filter(
            models.Q(**{f"{field}__lt": low})
            | models.Q(**{f"{field}__gte" if instant else f"{field}__gt": high})
        )
        problems += [f"#{pk} {field}={value}" for pk, value in outside.values_list("pk", field)]
    if problems:
        raise OutOfRangeDatesError(
            f"{model._meta.label}: dates outside {FIRST_YEAR}–{LAST_YEAR}; correct them, "
            "then migrate again:\n  " + "\n  ".join(problems)
        )
