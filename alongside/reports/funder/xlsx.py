"""The funder report as a spreadsheet: one sheet per section, each table under its caption with
its headers; a hidden count is the same text as in the PDF, never a number."""

import io
import re

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.worksheet.worksheet import Worksheet

from alongside.reports.funder.report import FunderReport
from alongside.reports.funder.tables import Table
from alongside.reports.small_cells import Cell

BOLD = Font(bold=True)


def sheet_name(title: str) -> str:
    """A title as Excel accepts a sheet's name: 31 characters, none of []:*?/\\."""
    return re.sub(r"[\[\]:*?/\\]", " ", title)[:31]


def cell_value(cell: Cell) -> int | float | str:
    if cell.value is None:
        return cell.text()
    return float(cell.value) if not isinstance(cell.value, int) else cell.value


def _write_table(sheet: Worksheet, table: Table) -> None:
    sheet.append([table.caption])
    sheet.cell(row=sheet.max_row, column=1).font = BOLD
    sheet.append(list(table.headers))
    for column in range(1, len(table.headers) + 1):
        sheet.cell(row=sheet.max_row, column=column).font = BOLD
    for row in table.rows:
        sheet.append([row.label, *(cell_value(cell) for cell in row.cells)])
    sheet.append([])


def render_xlsx(report: FunderReport, *, title: str) -> bytes:
    book = Workbook()
    about = book.active
    assert about is not None
    about.title = sheet_name(_("About"))
    about.append([title])
    about["A1"].font = BOLD
    about.append([_("Programs"), report.program_names])
    about.append([_("Period"), str(report.period.label)])
    about.append(
        [
            _("Small counts"),
            _(
                "A count of fewer than %(minimum)d people is not shown, nor any count it "
                "could be worked out from."
            )
            % {"minimum": report.minimum},
        ]
    )
    about.column_dimensions["A"].width = 24
    for section in report.sections:
        sheet = book.create_sheet(sheet_name(section.title))
        for table in section.tables:
            _write_table(sheet, table)
        sheet.column_dimensions["A"].width = 48
    output = io.BytesIO()
    book.save(output)
    return output.getvalue()
