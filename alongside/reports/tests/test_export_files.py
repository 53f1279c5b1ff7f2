"""The CSV and XLSX files a list is exported to: readable by a spreadsheet, never a formula."""

import csv
import datetime
import io
import zoneinfo

import openpyxl
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from alongside.reports.exports import FORMULA_STARTS, csv_lines, defused, xlsx_bytes

HEADERS = ["Nom", "Reçue le", "Jours"]
ROWS = [
    ["Hélène Côté", datetime.datetime(2026, 3, 2, 14, 30, tzinfo=datetime.UTC), 3],
    ['=HYPERLINK("http://evil.example","clic")', datetime.date(2026, 3, 1), -2],
    ["+1 416 555 0123", None, 0],
    ["@SUM(A1:A2)", "-3", 1.5],
]


def read_csv(lines: list[str]) -> list[list[str]]:
    text = "".join(lines)
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))


def read_xlsx(content: bytes) -> list[list[object]]:
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    return [[cell.value for cell in row] for row in sheet.iter_rows()]


def test_the_csv_starts_with_a_byte_order_mark_and_keeps_accents() -> None:
    with timezone.override(zoneinfo.ZoneInfo("America/Toronto")):
        rows = read_csv(list(csv_lines(HEADERS, ROWS)))

    assert rows[0] == HEADERS
    assert rows[1] == ["Hélène Côté", "2026-03-02 09:30", "3"]  # in the viewer's zone


def test_a_formula_typed_into_a_form_stays_text_in_the_csv() -> None:
    rows = read_csv(list(csv_lines(HEADERS, ROWS)))

    assert rows[2][0] == '\'=HYPERLINK("http://evil.example","clic")'
    assert rows[3][0] == "'+1 416 555 0123"
    assert rows[4] == ["'@SUM(A1:A2)", "'-3", "1.5"]
    assert rows[2][2] == "-2"  # a number is a number, not text to defuse


def test_the_xlsx_has_the_same_cells_as_text_numbers_and_dates() -> None:
    with timezone.override(zoneinfo.ZoneInfo("America/Toronto")):
        rows = read_xlsx(xlsx_bytes("Demandes", HEADERS, ROWS))

    assert rows[0] == HEADERS
    # Spreadsheets know no time zones: the time as the viewer reads it.
    seen_in_toronto = datetime.datetime(2026, 3, 2, 9, 30, tzinfo=datetime.UTC).replace(tzinfo=None)
    assert rows[1] == ["Hélène Côté", seen_in_toronto, 3]
    assert rows[2][0] == '\'=HYPERLINK("http://evil.example","clic")'
    assert rows[2][2] == -2
    assert rows[4] == ["'@SUM(A1:A2)", "'-3", 1.5]


def test_no_xlsx_cell_is_a_formula() -> None:
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx_bytes("x", HEADERS, ROWS))).active

    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)


def test_a_sheet_title_excel_would_refuse_is_cleaned() -> None:
    workbook = openpyxl.load_workbook(io.BytesIO(xlsx_bytes("Suivi: 2026/03 [tous]", [], [])))

    assert workbook.sheetnames == ["Suivi  2026 03  tous"]


@given(st.text())
def test_no_defused_text_starts_like_a_formula(text: str) -> None:
    assert not defused(text).startswith(FORMULA_STARTS)
    assert defused(text).endswith(text)
