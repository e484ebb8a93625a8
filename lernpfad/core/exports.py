"""Streamed exports as CSV and XLSX: rows come from a generator, and memory stays flat however
many there are (a 200,000-row export is measured in bench/exports.py).

``export_response(fmt, filename_stem, columns, rows)`` is the one call a route needs: ``columns``
are the header titles, ``rows`` any iterable of tuples (best a generator reading the database in
batches). Values may be text, numbers, dates, datetimes (local time) or None. Text that a
spreadsheet would run as a formula (= + - @ tab CR at the start) stays text in both formats.
"""

import csv
import io
import re
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime
from typing import IO
from urllib.parse import quote

import xlsxwriter
from flask import Response, stream_with_context

from lernpfad.reports.rules import FORMULA_START, csv_cell

FORMATS = {
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
CSV_BATCH_ROWS = 1000  # rows per chunk: few writes to the socket, little held at once
CHUNK_BYTES = 64 * 1024
SPOOL_BYTES = 1024 * 1024  # a small XLSX stays in memory, a large one goes to a temporary file
WIDTH_SAMPLE_ROWS = 500  # column widths follow the header and the first rows
MIN_WIDTH, MAX_WIDTH = 6, 60
# Excel's built-in date and date-time formats, shown in the reader's own locale (14, 22).
DATE_FORMAT, DATETIME_FORMAT = 14, 22
# Rows a worksheet holds below its header (Excel: 1,048,576 rows). A larger export goes on in
# further worksheets, each with the header, instead of losing the rest without a word.
SHEET_ROWS = 1_048_575


def csv_chunks(
    columns: Sequence[str], rows: Iterable[Sequence], *, batch_rows: int = CSV_BATCH_ROWS
) -> Iterator[bytes]:
    """The CSV as UTF-8 chunks of ``batch_rows`` rows: a byte-order mark first (so spreadsheet
    programs read UTF-8), ``;`` between cells, CRLF after each row, formulas neutralised."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    buffer.write("\ufeff")
    writer.writerow([csv_cell(title) for title in columns])
    pending = 0
    for row in rows:
        writer.writerow(_csv_row(row))
        pending += 1
        if pending >= batch_rows:
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
            pending = 0
    if buffer.tell():
        yield buffer.getvalue().encode("utf-8")


def _csv_row(row) -> list:
    """A row as the csv module should write it: text starting like a formula gets a leading '
    (as csv_cell does); numbers (a negative number is no formula), dates and None (an empty
    cell) are written as they are; anything else goes through csv_cell. Inline, as it runs for
    every cell of a large export."""
    return [
        ("'" + value if value.startswith(FORMULA_START) else value)
        if value.__class__ is str
        else value
        if value is None or value.__class__ in _PLAIN
        else csv_cell(value)
        for value in row
    ]


_PLAIN = frozenset({int, float, date, datetime})


def sheet_name(title: str) -> str:
    """A worksheet name Excel accepts: at most 31 characters, none of []:*?/\\."""
    name = re.sub(r"[\[\]:*?/\\]", " ", title).strip().strip("'")[:31].strip()
    return name or "Export"


def xlsx_file(
    columns: Sequence[str], rows: Iterable[Sequence], sheet_title: str = "Export"
) -> IO[bytes]:
    """The XLSX written row by row (XlsxWriter in constant-memory mode) into a temporary file,
    returned open at its start; the caller closes it. A bold, frozen header row with a filter,
    column widths from the header and the first rows, dates as real dates, text as text."""
    out = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)
    try:
        _write_xlsx(out, columns, rows, sheet_title)
    except BaseException:
        out.close()
        raise
    out.seek(0)
    return out


def _write_xlsx(out, columns, rows, sheet_title) -> None:
    workbook = xlsxwriter.Workbook(
        out,
        {
            "constant_memory": True,  # each row goes to disk once the next one starts
            # Text stays text: no formulas, numbers or links guessed from strings.
            "strings_to_formulas": False,
            "strings_to_numbers": False,
            "strings_to_urls": False,
            "remove_timezone": True,
        },
    )
    try:
        header = workbook.add_format({"bold": True, "bottom": 1})
        # Excel's "quote prefix": the cell stays text even when someone edits it later.
        quoted = workbook.add_format({"quote_prefix": True})
        day = workbook.add_format({"num_format": DATE_FORMAT})
        moment = workbook.add_format({"num_format": DATETIME_FORMAT})
        widths = [len(str(title)) + 2 for title in columns]
        name = sheet_name(sheet_title)

        def new_sheet(number: int):
            sheet = workbook.add_worksheet(
                name if number == 1 else sheet_name(f"{name[:25]} ({number})")
            )
            for col, title in enumerate(columns):
                sheet.write_string(0, col, str(title), header)
            sheet.freeze_panes(1, 0)
            return sheet

        def finish(sheet, last_row: int) -> None:
            for col, width in enumerate(widths):
                sheet.set_column(col, col, min(max(width, MIN_WIDTH), MAX_WIDTH))
            sheet.autofilter(0, 0, last_row, max(len(columns) - 1, 0))

        sheets = 1
        sheet = new_sheet(sheets)
        row_number = 0
        for index, row in enumerate(rows, start=1):
            if row_number == SHEET_ROWS:
                finish(sheet, row_number)
                sheets += 1
                sheet = new_sheet(sheets)
                row_number = 0
            row_number += 1
            for col, value in enumerate(row):
                if value is None or value == "":
                    continue
                if isinstance(value, bool):
                    sheet.write_boolean(row_number, col, value)
                elif isinstance(value, int | float):
                    sheet.write_number(row_number, col, value)
                elif isinstance(value, datetime):
                    sheet.write_datetime(row_number, col, value, moment)
                elif isinstance(value, date):
                    sheet.write_datetime(row_number, col, value, day)
                else:
                    text = str(value)
                    sheet.write_string(
                        row_number, col, text, quoted if text.startswith(FORMULA_START) else None
                    )
            if index <= WIDTH_SAMPLE_ROWS:
                for col, value in enumerate(row[: len(widths)]):
                    widths[col] = max(widths[col], _shown_width(value))
        finish(sheet, row_number)
    finally:
        workbook.close()


def _shown_width(value) -> int:
    if isinstance(value, datetime):
        return 18
    if isinstance(value, date):
        return 12
    return len(str(value)) + 2 if value is not None else 0


def xlsx_chunks(
    columns: Sequence[str], rows: Iterable[Sequence], sheet_title: str = "Export"
) -> Iterator[bytes]:
    """The XLSX in chunks. A zip file cannot be sent while it is written (its directory comes
    last), so it is written to a temporary file first and then read back."""
    with xlsx_file(columns, rows, sheet_title) as written:
        while chunk := written.read(CHUNK_BYTES):
            yield chunk


def export_response(
    fmt: str,
    filename_stem: str,
    columns: Sequence[str],
    rows: Iterable[Sequence],
    *,
    sheet_title: str | None = None,
) -> Response:
    """A download of ``rows`` as ``fmt`` ("csv" or "xlsx"), streamed after the view returns:
    whatever must happen before (an audit event) is committed by the view first. The rows are
    read only while the file is sent, within the request's context."""
    if fmt == "csv":
        body = csv_chunks(columns, rows)
    elif fmt == "xlsx":
        body = xlsx_chunks(columns, rows, sheet_title or filename_stem)
    else:
        raise ValueError(f"unknown export format {fmt!r}")
    filename = f"{filename_stem}.{fmt}"
    fallback = filename.encode("ascii", "replace").decode().replace('"', "")
    return Response(
        stream_with_context(body),
        mimetype=FORMATS[fmt],
        headers={
            "Content-Disposition": (
                f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename)}"
            ),
            "Cache-Control": "no-store",
            "X-Content-Type-Options": "nosniff",
        },
    )
