"""The directory as a CSV file, and a contact list read from one.

Files are UTF-8 with a byte order mark and ``;`` between columns: what Excel in French
writes and reads (the comma is its decimal separator), so accents and columns come out
right when staff double-click the file. On import, ``,`` is accepted too, and a file
that is not UTF-8 is read as Windows-1252 (what older Excel versions save).
"""

import csv
import io
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from accounts.models import Language
from companies.models import Company, validate_siret
from missions.models import Sector

DELIMITER = ";"
BOM = "\ufeff"
# Several sector codes in one cell.
SECTOR_SEPARATOR = "|"

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


def directory_csv(companies) -> str:
    """The companies as CSV text, BOM first. ``companies`` come from
    ``companies_for_directory`` (sectors and active memberships prefetched)."""
    out = io.StringIO()
    out.write(BOM)
    writer = csv.writer(out, delimiter=DELIMITER, lineterminator="\r\n")
    writer.writerow(EXPORT_COLUMNS)
    for company in companies:
        writer.writerow(
            [
                company.name,
                company.siret,
                company.city,
                company.size,
                SECTOR_SEPARATOR.join(sorted(sector.code for sector in company.sectors.all())),
                "yes" if company.verified else "no",
                company.website,
                " ".join(m.user.email for m in company.active_memberships),
            ]
        )
    return out.getvalue()


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


@dataclass
class RowError:
    line: int
    column: str
    message: str


def _decode(raw: bytes) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("cp1252")


def csv_records(raw: bytes, *, columns, required) -> tuple[list[tuple[int, dict]], list[RowError]]:
    """The rows of an uploaded CSV file as ``(line, {column: stripped text})``, for the
    ``columns`` asked: UTF-8 (with or without a BOM) or Windows-1252, ``;`` or ``,``,
    header names in any case; blank lines, as spreadsheets leave at the end, left out.
    Line numbers are the file's: the header is line 1. A file without every ``required``
    column gives no row and one error saying which are missing."""
    text = _decode(raw)
    first_line = text.split("\n", 1)[0]
    delimiter = DELIMITER if first_line.count(";") >= first_line.count(",") else ","
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter)
    header = [name.strip().lower() for name in (reader.fieldnames or [])]
    missing = [name for name in required if name not in header]
    if missing:
        message = _("Missing columns: %(columns)s.") % {"columns": ", ".join(missing)}
        return [], [RowError(1, "", message)]
    reader.fieldnames = header
    records = []
    for record in reader:
        value = {key: (record.get(key) or "").strip() for key in columns}
        if any(value.values()):
            records.append((reader.line_num, value))
    return records, []


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
        for column, limit in (("job_title", 150), ("phone", 30)):
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
