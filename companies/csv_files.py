"""The directory as a CSV file, and a contact list read from one (the format, the
writer and the reader: ``core.csv_files``)."""

from collections import defaultdict
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from accounts.models import Language
from companies.models import (
    Company,
    CompanyMembership,
    Contact,
    MembershipStatus,
    validate_siret,
)
from core.csv_files import MULTI_VALUE_SEPARATOR as SECTOR_SEPARATOR
from core.csv_files import RowError, csv_records
from missions.models import Sector

EXPORT_COLUMNS = [
    "name",
    "siret",
    "city",
    "size",
    "sectors",
    "verified",
    "website",
    "members_emails",
]
IMPORT_COLUMNS = [
    "company_name",
    "siret",
    "city",
    "sectors",
    "first_name",
    "last_name",
    "email",
    "language",
    "job_title",
    "phone",
]
REQUIRED_COLUMNS = ["company_name", "siret", "first_name", "last_name", "email"]
# The columns' lengths as the database holds them (the company's name has its own message).
LENGTH_LIMITS = {
    "city": Company._meta.get_field("city").max_length,
    **{
        column: Contact._meta.get_field(column).max_length
        for column in ("first_name", "last_name", "email", "job_title", "phone")
    },
}


def directory_rows(companies) -> list[list]:
    """The companies as the rows of the export, under ``EXPORT_COLUMNS``, in their order.
    ``companies`` is a queryset of them (``directory_companies``, filtered); read as plain
    values, in three queries whatever their number."""
    rows = list(
        companies.values_list("pk", "name", "siret", "city", "size", "verified", "website")
    )
    # The same companies, as a subquery: PostgreSQL reads them again faster than Django
    # writes hundreds of ids into the statement.
    ids = companies.order_by().values("pk")
    sectors = defaultdict(list)
    for company_id, code in Company.sectors.through.objects.filter(company_id__in=ids).values_list(
        "company_id", "sector__code"
    ):
        sectors[company_id].append(code)
    emails = defaultdict(list)
    for company_id, email in (
        CompanyMembership.objects.filter(company_id__in=ids, status=MembershipStatus.ACTIVE)
        .order_by("user__email")
        .values_list("company_id", "user__email")
    ):
        emails[company_id].append(email)
    return [
        [
            name,
            siret,
            city,
            size,
            SECTOR_SEPARATOR.join(sorted(sectors[pk])),
            "yes" if verified else "no",
            website,
            " ".join(emails[pk]),
        ]
        for pk, name, siret, city, size, verified, website in rows
    ]


@dataclass
class ContactRow:
    line: int
    company_name: str
    siret: str
    city: str
    sectors: list = field(default_factory=list)
    first_name: str = ""
    last_name: str = ""
    email: str = ""
    language: str = Language.FRENCH
    job_title: str = ""
    phone: str = ""


def contact_list_read(raw: bytes) -> tuple[list[ContactRow], list[RowError]]:
    """Read and check every row of a contact list. Line numbers are the file's: the
    header is line 1. Returns the rows, and the errors; rows are usable only if there
    is no error at all."""
    records, errors = csv_records(raw, columns=IMPORT_COLUMNS, required=REQUIRED_COLUMNS)
    if errors:
        return [], errors
    sectors = {sector.code: sector for sector in Sector.objects.all()}
    max_name = Company._meta.get_field("name").max_length
    rows, seen = [], {}
    for line, value in records:

        def error(column, message, line=line):
            errors.append(RowError(line, column, message))

        if not value["company_name"]:
            error("company_name", _("The company name is missing."))
        elif len(value["company_name"]) > max_name:
            error(
                "company_name",
                _("The company name is longer than %(max)d characters.") % {"max": max_name},
            )
        siret = "".join(value["siret"].split())
        if not siret:
            error("siret", _("The SIRET is missing."))
        else:
            try:
                validate_siret(siret)
            except ValidationError:
                error("siret", _("“%(value)s” is not a valid SIRET.") % {"value": siret})
        codes = [c.strip() for c in value["sectors"].split(SECTOR_SEPARATOR) if c.strip()]
        for code in codes:
            if code not in sectors:
                error("sectors", _("Unknown sector code “%(code)s”.") % {"code": code})
        if not value["first_name"]:
            error("first_name", _("The contact's first name is missing."))
        if not value["last_name"]:
            error("last_name", _("The contact's last name is missing."))
        email = value["email"]
        if not email:
            error("email", _("The contact's email is missing."))
        else:
            try:
                validate_email(email)
            except ValidationError:
                error("email", _("“%(value)s” is not a valid email.") % {"value": email})
        language = value["language"].lower() or Language.FRENCH
        if language not in Language.values:
            error(
                "language",
                _("Unknown language “%(value)s”: write fr or en.") % {"value": value["language"]},
            )
        for column, limit in LENGTH_LIMITS.items():
            if len(value[column]) > limit:
                error(
                    column,
                    _("At most %(max)d characters (this one has %(length)d).")
                    % {"max": limit, "length": len(value[column])},
                )
        key = (siret, email.lower())
        if siret and email and key in seen:
            error(
                "email",
                _("The same contact of the same company is already on line %(line)d.")
                % {"line": seen[key]},
            )
        seen.setdefault(key, line)
        rows.append(
            ContactRow(
                line=line,
                company_name=value["company_name"],
                siret=siret,
                city=value["city"],
                sectors=[sectors[code] for code in codes if code in sectors],
                first_name=value["first_name"],
                last_name=value["last_name"],
                email=email,
                language=language,
                job_title=value["job_title"],
                phone=value["phone"],
            )
        )
    if not rows and not errors:
        errors.append(RowError(1, "", _("The file has no contact.")))
    return rows, errors
