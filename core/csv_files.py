"""CSV files as the portal writes and reads them: one writer for every export, one
reader for every import.

Files are UTF-8 with a byte order mark and ``;`` between columns: what Excel in French
writes and reads (the comma is its decimal separator), so accents and columns come out
right when staff double-click the file. On import, ``,`` is accepted too, and a file
that is not UTF-8 is read as Windows-1252 (what older Excel versions save).

Exports are safe to open in a spreadsheet ("CSV injection", OWASP): a cell that a
spreadsheet would read as a formula is written as text, through defusedcsv, which puts
an apostrophe before a cell starting with ``=``, ``+``, ``-``, ``@``, ``|`` or ``%``
(numbers such as ``-12.50`` excepted). Two more kinds of cell are handled here, around
it: a cell starting with a tab, a carriage return or a line feed, or with the full-width
forms of ``= + - @`` that Excel also reads as formulas, gets the apostrophe too; and a
telephone number (``+33 4 91 00 00 00``: a plus sign, then only digits, spaces, dots,
hyphens and brackets) is written as it is, since with no letter it can name no function
and no cell. On import, the apostrophe the writer added is taken off again, so that a
file exported, edited and imported back holds the values that were exported.

A file that is not a CSV text file (random bytes, a spreadsheet's binary format, a NUL
or another control character, a cell the parser cannot hold) is refused as a whole with
one sentence: ``CsvFileError``.
"""

import csv
import io
import logging
import numbers
import re
from dataclasses import dataclass

from defusedcsv import csv as defusedcsv
from django.http import HttpResponse
from django.utils.formats import number_format
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

DELIMITER = ";"
BOM = "\ufeff"
# Several codes (sectors) in one cell.
MULTI_VALUE_SEPARATOR = "|"

# What spreadsheets read as the start of a formula, beyond defusedcsv's own list.
EXTRA_FORMULA_STARTS = ("\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")
DEFUSEDCSV_STARTS = ("=", "+", "-", "@", "|", "%")
TELEPHONE = re.compile(r"\+[0-9][0-9 .()\-]*[0-9]")
# The largest cell a file may hold: far above any column's length limit, far below
# what the parser's memory can bear.
MAX_CELL_CHARACTERS = 100_000
# Characters below the space that a CSV text file holds: tab, line feed, carriage return.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class Telephone(str):
    """A cell known to be a telephone number: defusedcsv leaves numbers as they are."""


numbers.Number.register(Telephone)


def neutralise(value):
    """The cell as the writer hands it to defusedcsv: ``None`` as an empty cell, a
    telephone number marked as such, a cell led by a tab, a line break or a full-width
    formula sign prefixed with the apostrophe that defusedcsv leaves alone."""
    if value is None:
        return ""
    if not isinstance(value, str) or isinstance(value, Telephone):
        return value
    if TELEPHONE.fullmatch(value):
        return Telephone(value)
    if value.startswith(EXTRA_FORMULA_STARTS):
        return "'" + value
    return value


# A cell that starts with none of these is left as it is by ``neutralise`` and defusedcsv.
SPECIAL_STARTS = frozenset(EXTRA_FORMULA_STARTS + DEFUSEDCSV_STARTS)


def _plain(row) -> bool:
    return all(type(cell) is str and (not cell or cell[0] not in SPECIAL_STARTS) for cell in row)


def csv_text(header: list[str], rows) -> str:
    """The CSV text of an export: BOM, header, rows, every cell safe to open.

    A row of plain text cells (most rows: none starts with a sign a spreadsheet reads) is
    written as it is; any other goes through ``neutralise`` and defusedcsv (measured: the
    directory's 3,600 cells took a third of the export's time when all did)."""
    out = io.StringIO()
    out.write(BOM)
    safe = defusedcsv.writer(out, delimiter=DELIMITER, lineterminator="\r\n")
    plain = csv.writer(out, delimiter=DELIMITER, lineterminator="\r\n")
    for row in [header, *rows]:
        if _plain(row):
            plain.writerow(row)
        else:
            safe.writerow([neutralise(cell) for cell in row])
    return out.getvalue()


def csv_response(*, filename: str, header: list[str], rows) -> HttpResponse:
    """An export as a download named ``filename``."""
    response = HttpResponse(csv_text(header, rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# Reading --------------------------------------------------------------------------------


class CsvFileError(ValueError):
    """The file cannot be read as CSV text; the message says why in one sentence."""


@dataclass
class RowError:
    line: int
    column: str
    message: str


def deneutralise(value: str) -> str:
    """A cell as it was before the writer made it safe: the apostrophe it put before a
    formula sign taken off again, and the pipes defusedcsv escaped with it."""
    if not value.startswith("'"):
        return value
    rest = value[1:]
    if rest.startswith(DEFUSEDCSV_STARTS) or rest.startswith("\\|"):
        return rest.replace("\\|", "|")
    if rest.startswith(EXTRA_FORMULA_STARTS):
        return rest
    return value


def decoded(raw: bytes) -> str:
    """The text of an uploaded CSV file, or ``CsvFileError``: UTF-8 (with or without a
    BOM) or Windows-1252, without NUL or other control characters."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = raw.decode("cp1252")
        except UnicodeDecodeError:
            raise CsvFileError(not_text_message()) from None
    if CONTROL_CHARACTERS.search(text):
        raise CsvFileError(not_text_message())
    return text


def not_text_message() -> str:
    return _(
        "This file is not a CSV text file: save it from your spreadsheet as “CSV UTF-8 "
        "(comma delimited)” and try again."
    )


def csv_records(raw: bytes, *, columns, required) -> tuple[list[tuple[int, dict]], list[RowError]]:
    """The rows of an uploaded CSV file as ``(line, {column: stripped text})``, for the
    ``columns`` asked: UTF-8 (with or without a BOM) or Windows-1252, ``;`` or ``,``,
    header names in any case; blank lines, as spreadsheets leave at the end, left out.
    Line numbers are the file's: the header is line 1. A file that is not CSV text, or
    without every ``required`` column, gives no row and one error saying why."""
    try:
        table = csv_table(raw)
    except CsvFileError as error:
        return [], [RowError(1, "", str(error))]
    header = [name.strip().lower() for name in (table[0][1] if table else [])]
    missing = [name for name in required if name not in header]
    if missing:
        message = _("Missing columns: %(columns)s.") % {"columns": ", ".join(missing)}
        return [], [RowError(1, "", message)]
    position = {name: index for index, name in reversed(list(enumerate(header)))}
    records = []
    for line, cells in table[1:]:
        value = {}
        for key in columns:
            index = position.get(key)
            cell = cells[index] if index is not None and index < len(cells) else ""
            value[key] = deneutralise(cell.strip())
        if any(value.values()):
            records.append((line, value))
    return records, []


def csv_table(raw: bytes) -> list[tuple[int, list[str]]]:
    """Every row of an uploaded file with its line in the file (the last, for a quoted
    cell holding line breaks), or ``CsvFileError`` if it is not CSV text (``decoded``)
    or the parser cannot read it."""
    text = decoded(raw)
    first_line = text.split("\n", 1)[0]
    delimiter = DELIMITER if first_line.count(";") >= first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=False)
    table = []
    try:
        for cells in reader:
            if any(len(cell) > MAX_CELL_CHARACTERS for cell in cells):
                raise CsvFileError(_too_long_message())
            table.append((reader.line_num, cells))
    except csv.Error as error:
        # The parser's own limit (131,072 characters), above ours: the same sentence.
        logger.info("CSV file refused: %s", error)
        raise CsvFileError(_too_long_message()) from None
    return table


def _too_long_message() -> str:
    return _("A cell of the file holds more than %(max)s characters.") % {
        "max": number_format(MAX_CELL_CHARACTERS, force_grouping=True)
    }
