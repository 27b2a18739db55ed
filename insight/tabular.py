"""Writing rows as CSV (streamed) and Excel, with cells that a spreadsheet never runs.

A text cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return would be
read as a formula by Excel or LibreOffice (CSV injection): in CSV it gets a leading ``'``; in
Excel files it is stored as a string cell (never a formula). Numbers stay numbers.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from django.http import HttpResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n", "|")
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
Cell = Any


class _Echo:
    def write(self, value: str) -> str:
        return value


def neutralise(text: str) -> str:
    """A text cell made inert: ``'=SUM(A1)`` instead of ``=SUM(A1)``."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_cell(value: Cell) -> Cell:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float | Decimal):
        return value
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat() if timezone.is_aware(value) else value
    if isinstance(value, date):
        return value.isoformat()
    return neutralise(str(value))


def stamp() -> str:
    return timezone.now().strftime("%Y%m%dT%H%M%SZ")


def csv_response(
    header: Sequence[Any], rows: Iterable[Sequence[Cell]], filename: str
) -> StreamingHttpResponse:
    """A streamed CSV download (UTF-8 with BOM, so Excel reads accents right)."""
    writer = csv.writer(_Echo())

    def lines() -> Iterator[str]:
        yield "\ufeff" + writer.writerow([csv_cell(str(h)) for h in header])
        for row in rows:
            yield writer.writerow([csv_cell(value) for value in row])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _xlsx_value(value: Cell) -> Cell:
    if value is None:
        return None
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float | Decimal | date):
        if isinstance(value, datetime) and timezone.is_aware(value):
            return value.astimezone(UTC).replace(tzinfo=None)
        return value
    return ILLEGAL_CHARACTERS_RE.sub("", str(value))


def xlsx_bytes(sheet_title: str, header: Sequence[Any], rows: Iterable[Sequence[Cell]]) -> bytes:
    """An Excel workbook (write-only, so memory stays flat) with one sheet."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=sheet_title[:31] or "Sheet")

    def cells(values: Sequence[Cell]) -> list[WriteOnlyCell]:
        out = []
        for value in values:
            cell = WriteOnlyCell(sheet, value=_xlsx_value(value))
            if isinstance(cell.value, str):
                cell.data_type = "s"  # text, never a formula, whatever it starts with
            out.append(cell)
        return out

    sheet.append(cells([str(h) for h in header]))
    for row in rows:
        sheet.append(cells(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def xlsx_response(
    sheet_title: str, header: Sequence[Any], rows: Iterable[Sequence[Cell]], filename: str
) -> HttpResponse:
    response = HttpResponse(xlsx_bytes(sheet_title, header, rows), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- reading what people upload ----------------------------------------------------------------

MAX_COLUMNS = 200


class UnreadableTable(ValueError):
    """The file is not a CSV or Excel table that can be read."""


def restore(text: str) -> str:
    """The inverse of ``neutralise``: a cell we exported reads back as it was typed."""
    return text[1:] if text.startswith("'") and text[1:].startswith(FORMULA_STARTS) else text


def _clean_rows(rows: Iterable[Sequence[Any]], max_rows: int) -> list[list[Any]]:
    """Rows as read, numbered as in the file (blank rows kept as ``[]``, trailing ones cut)."""
    table: list[list[Any]] = []
    blank_run = 0
    for row in rows:
        values = [restore(v.strip()) if isinstance(v, str) else v for v in row[:MAX_COLUMNS]]
        while values and values[-1] in (None, ""):
            values.pop()
        blank_run = blank_run + 1 if not values else 0
        if blank_run > 1000:
            break  # a sheet formatted far below its data
        table.append(values)
        if len(table) - blank_run > max_rows + 1:
            raise UnreadableTable(f"more than {max_rows} rows")
    return table[: len(table) - blank_run]


def read_csv(data: bytes, *, max_rows: int) -> list[list[Any]]:
    """Rows of a CSV file (UTF-8, with or without BOM, else Windows-1252), comma, semicolon or
    tab separated as Excel writes them in each locale; the first row is the header."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    if "\x00" in text:
        raise UnreadableTable("binary content")
    first_line = text.split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=first_line.count)
    try:
        return _clean_rows(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), max_rows)
    except csv.Error as exc:
        raise UnreadableTable(str(exc)) from exc


def read_xlsx(data: bytes, *, max_rows: int) -> list[list[Any]]:
    """Rows of the first sheet of an Excel workbook, values as stored (never formulas)."""
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise UnreadableTable(str(exc)) from exc
    try:
        sheet = workbook.worksheets[0]
        return _clean_rows(sheet.iter_rows(values_only=True), max_rows)
    except IndexError as exc:
        raise UnreadableTable("no sheet") from exc
    finally:
        workbook.close()
