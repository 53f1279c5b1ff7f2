"""A list's rows written as CSV or XLSX: the files a coordinator opens in a spreadsheet.

Both are safe to open: a text cell that a spreadsheet would read as a formula (it starts with
=, +, -, @, a tab or a carriage return) is written with a leading apostrophe, so "=HYPERLINK(…)"
typed into a public form stays text (OWASP's advice for CSV injection); XLSX cells are also
typed as text, never as formulas. CSV starts with a byte-order mark, so Excel reads its accents
as UTF-8, and is streamed; XLSX is written by openpyxl's write-only workbook, a row at a time.
"""

import csv
import datetime
from collections.abc import Iterable, Iterator, Sequence
from decimal import Decimal
from enum import StrEnum
from io import BytesIO
from typing import Any

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

# Beyond this many rows an export is refused with a message asking to narrow the filters: a
# list a coordinator works through is far shorter, and a bigger file is a copy of the program.
ROW_LIMIT = 10_000
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
BYTE_ORDER_MARK = "\ufeff"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

type Cell = str | int | float | Decimal | datetime.date | datetime.datetime | None


class Format(StrEnum):
    CSV = "csv"
    XLSX = "xlsx"


def defused(text: str) -> str:
    """Text a spreadsheet shows as typed, never runs: a formula's first character is escaped."""
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def plain(value: Any) -> Cell:
    """A cell's value: numbers and dates as themselves (times in the viewer's zone, as the list
    shows them, to the second), everything else as defused text."""
    if value is None or isinstance(value, bool):
        return "" if value is None else str(value)
    if isinstance(value, int | float | Decimal):
        return value
    if isinstance(value, datetime.datetime):
        # To the second: a spreadsheet keeps milliseconds at most, and a list shows minutes.
        local = timezone.localtime(value) if timezone.is_aware(value) else value
        return local.replace(tzinfo=None, microsecond=0)
    if isinstance(value, datetime.date):
        return value
    return defused(
        str(value)
    )  # lazy labels (a status's choice) are written in the viewer's language


def _csv_text(value: Cell) -> str:
    if isinstance(value, datetime.datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return "" if value is None else str(value)


class _Line:
    """What csv.writer writes to: it hands back each line instead of keeping it."""

    def write(self, line: str) -> str:
        return line


def csv_lines(headers: Sequence[Any], rows: Iterable[Sequence[Any]]) -> Iterator[str]:
    """The file, a line at a time: the byte-order mark, the headers, then each row."""
    writer = csv.writer(_Line())
    yield BYTE_ORDER_MARK + writer.writerow([defused(str(header)) for header in headers])
    for row in rows:
        yield writer.writerow([_csv_text(plain(value)) for value in row])


def _text_cell(sheet: WriteOnlyWorksheet, value: Cell) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str):
        cell.data_type = "s"  # never "f": a cell typed as text is not a formula
    return cell


def xlsx_bytes(title: str, headers: Sequence[Any], rows: Iterable[Sequence[Any]]) -> bytes:
    """The workbook: one sheet named `title`, the headers in its first row, then each row."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=_sheet_title(title))
    sheet.append([_text_cell(sheet, defused(str(header))) for header in headers])
    for row in rows:
        sheet.append([_text_cell(sheet, plain(value)) for value in row])
    content = BytesIO()
    workbook.save(content)
    return content.getvalue()


def _sheet_title(title: str) -> str:
    # Excel's rules: at most 31 characters, none of []:*?/\ .
    cleaned = "".join(" " if char in "[]:*?/\\" else char for char in title).strip()
    return cleaned[:31] or "Export"
