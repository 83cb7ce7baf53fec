"""A mission's counterparts read from a CSV file.

As for every import (``core.csv_files``): ``;`` or ``,`` between
columns, UTF-8 with or without a byte order mark, or Windows-1252 (what older Excel
versions save). The header names the columns, in any order; line numbers are the
file's, the header being line 1.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from core.csv_files import MULTI_VALUE_SEPARATOR as SECTOR_SEPARATOR
from core.csv_files import RowError, csv_records
from meetings.services.requests import counterpart_field_problems
from missions.models import Sector

COLUMNS = [
    "organisation",
    "kind",
    "sectors",
    "city",
    "contact_name",
    "email",
    "language",
    "description",
    "interests",
]
REQUIRED_COLUMNS = ["organisation", "kind", "contact_name", "email"]
# Counterparts are abroad: unless the file says otherwise, they are written to in English.
DEFAULT_LANGUAGE = "en"


@dataclass
class CounterpartRow:
    line: int
    organisation: str
    kind: str
    city: str = ""
    contact_name: str = ""
    email: str = ""
    language: str = DEFAULT_LANGUAGE
    description: str = ""
    interests: str = ""
    sectors: list = field(default_factory=list)


def counterpart_list_read(raw: bytes) -> tuple[list[CounterpartRow], list[RowError]]:
    """Read and check every row of a file of counterparts: the required columns and
    cells, the kind (by its code), the sectors (codes separated by ``|``), the email,
    the language (fr or en; en if empty), the lengths, and a counterpart twice in the
    file. Returns the rows and the errors; the rows are usable only if there is no
    error at all. Whether a counterpart is already registered is the import's to see."""
    records, errors = csv_records(raw, columns=COLUMNS, required=REQUIRED_COLUMNS)
    if errors:
        return [], errors
    sectors = {sector.code: sector for sector in Sector.objects.all()}
    rows: list[CounterpartRow] = []
    seen: dict[tuple[str, str], int] = {}
    for line, value in records:
        value["kind"] = value["kind"].lower()
        value["language"] = value["language"].lower() or DEFAULT_LANGUAGE
        codes = [c.strip() for c in value["sectors"].split(SECTOR_SEPARATOR) if c.strip()]
        for code in codes:
            if code not in sectors:
                errors.append(
                    RowError(
                        line, "sectors", _("Unknown sector code “%(code)s”.") % {"code": code}
                    )
                )
        fields = {name: value[name] for name in COLUMNS if name != "sectors"}
        for column, problems in counterpart_field_problems(fields).items():
            errors.extend(RowError(line, column, str(p.messages[0])) for p in problems)
        key = (value["organisation"].lower(), value["email"].lower())
        if value["organisation"] and value["email"] and key in seen:
            errors.append(
                RowError(
                    line,
                    "email",
                    _("The same counterpart is already on line %(line)d.") % {"line": seen[key]},
                )
            )
        seen.setdefault(key, line)
        rows.append(
            CounterpartRow(
                line=line,
                sectors=[sectors[code] for code in codes if code in sectors],
                **fields,
            )
        )
    if not rows and not errors:
        errors.append(RowError(1, "", _("The file has no counterpart.")))
    return rows, errors
