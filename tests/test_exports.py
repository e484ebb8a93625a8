"""The streamed CSV and XLSX writers (lernpfad.core.exports), without a database."""

import csv
import io
from datetime import date, datetime

import openpyxl
import pytest

from lernpfad.core import exports

COLUMNS = ("Name", "Datum", "Anzahl")
FORMULAS = ['=HYPERLINK("http://x","klick")', "+1", "-2", "@x", "\tTab", "\rCR", "=1+1"]


def read_csv(chunks) -> list[list[str]]:
    data = b"".join(chunks)
    assert data.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=";"))


def read_xlsx(columns, rows, title="Export"):
    data = b"".join(exports.xlsx_chunks(columns, rows, title))
    return openpyxl.load_workbook(io.BytesIO(data)).active


def test_csv_has_bom_semicolons_crlf_and_the_header():
    data = b"".join(exports.csv_chunks(COLUMNS, [("Lea", date(2026, 11, 26), 3)]))
    assert data == "\ufeffName;Datum;Anzahl\r\nLea;2026-11-26;3\r\n".encode()


def test_an_empty_csv_is_the_header_alone():
    assert read_csv(exports.csv_chunks(COLUMNS, iter(()))) == [list(COLUMNS)]


def test_csv_chunks_hold_many_rows_each_and_read_the_rows_lazily():
    taken = []

    def rows():
        for i in range(2500):
            taken.append(i)
            yield (f"Person {i}", None, i)

    chunks = exports.csv_chunks(COLUMNS, rows(), batch_rows=1000)
    first = next(chunks)
    assert len(taken) == 1000  # one batch read, not all rows
    assert first.count(b"\r\n") == 1001  # the header and a thousand rows
    rest = list(chunks)
    assert len(rest) == 2 and len(read_csv([first, *rest])) == 2501


@pytest.mark.parametrize("text", FORMULAS)
def test_csv_neutralises_formulas(text):
    rows = read_csv(exports.csv_chunks(COLUMNS, [(text, None, None)]))
    assert rows[1][0] == "'" + text


def test_csv_writes_numbers_as_numbers_and_other_objects_as_safe_text():
    class Shown:
        def __str__(self):
            return "=1+1"

    rows = read_csv(exports.csv_chunks(COLUMNS, [(Shown(), -2, -2.5), (True, None, 0)]))
    assert rows[1:] == [["'=1+1", "-2", "-2.5"], ["True", "", "0"]]


def test_xlsx_keeps_formula_looking_text_as_text():
    sheet = read_xlsx(COLUMNS, [(text, None, None) for text in FORMULAS])
    cells = [row[0] for row in sheet.iter_rows(min_row=2)]
    # Unchanged and not a formula (a CR is written as Excel's escape _x000D_, which openpyxl
    # leaves as it is and Excel reads back as CR).
    assert [cell.value for cell in cells] == [t.replace("\r", "_x000D_") for t in FORMULAS]
    assert all(cell.data_type == "s" and cell.quotePrefix for cell in cells)


def test_xlsx_has_real_dates_numbers_a_bold_frozen_header_and_widths():
    rows = [
        ("Lea Lernend", date(2026, 11, 26), 3),
        ("Bo", datetime(2026, 11, 26, 9, 30), 2.5),
        ("Ohne Datum", None, None),
    ]
    sheet = read_xlsx(COLUMNS, rows, "Schulungsnachweise")
    assert sheet.title == "Schulungsnachweise"
    assert [cell.value for cell in sheet[1]] == list(COLUMNS)
    assert all(cell.font.b for cell in sheet[1])
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:C4"
    assert sheet["B2"].is_date and sheet["B2"].value == datetime(2026, 11, 26)
    assert sheet["B3"].value == datetime(2026, 11, 26, 9, 30)
    assert sheet["C2"].value == 3 and sheet["C2"].data_type == "n"
    assert sheet["C3"].value == 2.5
    assert sheet["B4"].value is None
    assert sheet.column_dimensions["A"].width > sheet.column_dimensions["C"].width


def test_an_empty_xlsx_is_the_header_alone():
    sheet = read_xlsx(COLUMNS, iter(()))
    assert [[cell.value for cell in row] for row in sheet.iter_rows()] == [list(COLUMNS)]


def test_rows_beyond_a_worksheets_limit_go_on_in_further_worksheets(monkeypatch):
    """Excel holds 1,048,576 rows a sheet; past that XlsxWriter drops rows without a word.
    A larger export goes on in further sheets, each with the header (here 3 rows a sheet)."""
    monkeypatch.setattr(exports, "SHEET_ROWS", 3)
    data = b"".join(exports.xlsx_chunks(COLUMNS, ((f"P{i}", None, i) for i in range(7)), "Ex"))
    book = openpyxl.load_workbook(io.BytesIO(data))
    assert book.sheetnames == ["Ex", "Ex (2)", "Ex (3)"]
    values = [[[c.value for c in row] for row in sheet.iter_rows()] for sheet in book]
    assert all(rows[0] == list(COLUMNS) for rows in values)
    assert [row[2] for rows in values for row in rows[1:]] == list(range(7))
    assert [sheet.auto_filter.ref for sheet in book] == ["A1:C4", "A1:C4", "A1:C2"]


def test_xlsx_file_is_spooled_and_rewound():
    with exports.xlsx_file(COLUMNS, [("Lea", None, 1)]) as written:
        assert written.read(2) == b"PK"  # a zip file, from its start


@pytest.mark.parametrize(
    "title, name",
    [
        ("Schulungsnachweise", "Schulungsnachweise"),
        ("Protokoll [2026/11]: Export?", "Protokoll  2026 11   Export"),
        ("x" * 40, "x" * 31),
        ("'", "Export"),
        ("", "Export"),
    ],
)
def test_sheet_names_are_ones_excel_accepts(title, name):
    assert exports.sheet_name(title) == name


def test_export_response_streams_with_headers(app):
    with app.test_request_context():
        response = exports.export_response("xlsx", "bericht-2026-11-26", COLUMNS, iter(()))
        assert response.is_streamed
        assert response.mimetype == exports.FORMATS["xlsx"]
        assert response.headers["Cache-Control"] == "no-store"
        assert response.headers["Content-Disposition"] == (
            'attachment; filename="bericht-2026-11-26.xlsx"; '
            "filename*=UTF-8''bericht-2026-11-26.xlsx"
        )
        csv_response = exports.export_response("csv", "bericht", COLUMNS, iter(()))
        assert csv_response.mimetype == "text/csv"
        with pytest.raises(ValueError):
            exports.export_response("pdf", "bericht", COLUMNS, iter(()))
