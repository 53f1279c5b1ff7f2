"""For any programs (none among them) and any counts: the funder report's spreadsheet shows
exactly the tables the PDF is made from, no count of people in them is a number under the
strictest of the programs' minimums, and no hidden count can be worked out from its totals."""

import datetime as dt
import io
from collections import defaultdict

from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from alongside.groups.models import SessionKind
from alongside.matches.models import ClosureReason
from alongside.programs.models import Program
from alongside.reports.funder import tables
from alongside.reports.funder.counts import GroupsOfKind, PeopleSupported, SupporterCounts
from alongside.reports.funder.report import FunderReport, report_minimum
from alongside.reports.funder.xlsx import cell_value, render_xlsx
from alongside.reports.periods import Period
from alongside.reports.small_cells import Cell, Population
from alongside.reports.tests.test_small_cells import possible_values
from alongside.supporters.models import WithdrawalReason

GENDERS = ["woman", "man", "non_binary", "other", "not_said"]
AGES = ["under_25", "25_44", "45_64", "65_plus", "not_said"]


def split(draw, total: int, keys: list[str]) -> dict[str, int]:
    cuts = sorted(
        draw(st.lists(st.integers(0, total), min_size=len(keys) - 1, max_size=len(keys) - 1))
    )
    edges = [0, *cuts, total]
    return {key: edges[index + 1] - edges[index] for index, key in enumerate(keys)}


@st.composite
def programs(draw) -> tuple[Program, ...]:
    """Up to three programs (unsaved: only their names and minimums are read), or none."""
    minimums = draw(st.lists(st.integers(1, 7), max_size=3))
    return tuple(
        Program(name=f"Program {number}", report_minimum_count=minimum)
        for number, minimum in enumerate(minimums, start=1)
    )


@st.composite
def reports(draw) -> tuple[FunderReport, int]:
    covered = draw(programs())
    minimum = report_minimum(covered)
    small = st.integers(0, 14)
    genders = dict(zip(GENDERS, draw(st.lists(small, min_size=5, max_size=5)), strict=True))
    total = sum(genders.values())
    people = PeopleSupported(
        total=total, groups={"gender": genders, "age_group": split(draw, total, AGES)}
    )
    matched = draw(small)
    reasons = {reason.value: draw(st.integers(0, 6)) for reason in ClosureReason}
    sections = (
        tables.people_section(people, minimum=minimum, names={}),
        tables.requests_section(
            tables.RequestNumbers(
                received=draw(small),
                matched=matched,
                within_sla=draw(st.integers(0, matched)),
                median_days=draw(st.integers(0, 9)),
                p90_days=draw(st.integers(0, 9)),
            ),
            minimum=minimum,
        ),
        tables.matches_section(
            started=draw(small),
            open_at_end=draw(small),
            closed=sum(reasons.values()) + draw(st.integers(0, 3)),
            reasons=reasons,
            minimum=minimum,
        ),
        tables.hours_section(
            people={"volunteer": draw(small), "paid": draw(small)},
            minutes={"volunteer": draw(st.integers(0, 9000)), "paid": draw(st.integers(0, 9000))},
            minimum=minimum,
        ),
        tables.supporters_section(
            SupporterCounts(
                draw(small),
                draw(small),
                draw(small),
                withdrew={reason.value: draw(st.integers(0, 6)) for reason in WithdrawalReason},
            ),
            minimum=minimum,
        ),
        tables.groups_section(
            [GroupsOfKind(kind, draw(small), draw(small), draw(small)) for kind in SessionKind],
            minimum=minimum,
        ),
        tables.outcomes_section(
            [
                tables.OutcomeNumbers(
                    "Loneliness", sent, draw(st.integers(0, sent)), draw(small), None, None
                )
                for sent in draw(st.lists(small, max_size=2))
            ],
            minimum=minimum,
        ),
    )
    period = Period(dt.date(2026, 1, 1), dt.date(2026, 12, 31))
    report = FunderReport(programs=covered, period=period, minimum=minimum, sections=sections)
    return report, minimum


def every_table(report: FunderReport):
    for section in report.sections:
        for table in section.tables:
            yield section, table


def populations_of(report: FunderReport) -> list[Population]:
    """What a reader adds up: in each section, each column's parts to its total row (the
    people section's tables share one total), and the requests matched in time or later."""
    found: list[Population] = []
    for section in report.sections:
        columns: dict[int, list[tuple[Cell, list[Cell]]]] = defaultdict(list)
        for table in section.tables:
            totals = [row for row in table.rows if row.is_total]
            parts = [row for row in table.rows if not row.is_total]
            for total in totals:
                for index, cell in enumerate(total.cells):
                    if cell.counts_people:
                        columns[index].append((cell, [row.cells[index] for row in parts]))
        for groups in columns.values():
            found.append(
                Population(
                    total=groups[0][0],
                    breakdowns=tuple(
                        tuple((str(number), cell) for number, cell in enumerate(cells))
                        for _total, cells in groups
                    ),
                )
            )
        if section.key == "requests":
            rows = section.tables[0].rows
            found.append(
                Population(
                    rows[1].cells[0], ((("in", rows[2].cells[0]), ("late", rows[3].cells[0])),)
                )
            )
    return found


@settings(max_examples=120, deadline=None)
@given(reports())
def test_no_exported_count_is_under_the_minimum_nor_can_be_worked_out(case):
    report, minimum = case

    book = load_workbook(io.BytesIO(render_xlsx(report, title="Report")))

    assert all(minimum >= program.report_minimum_count for program in report.programs)
    about = {row[0]: row[1] for row in book["About"].iter_rows(values_only=True) if row[0]}
    names = [program.name for program in report.programs]
    assert about["Programs"] == (", ".join(names) if names else "no program")

    for section, table in every_table(report):
        sheet_rows = list(book[section.title[:31]].iter_rows(values_only=True))
        start = next(number for number, row in enumerate(sheet_rows) if row[0] == table.caption)
        for offset, row in enumerate(table.rows, start=start + 2):
            written = sheet_rows[offset]
            assert written[0] == row.label
            assert list(written[1 : len(row.cells) + 1]) == [cell_value(cell) for cell in row.cells]
            for cell, value in zip(row.cells, written[1:], strict=False):
                if cell.counts_people and isinstance(value, int | float):
                    assert value >= minimum
                if cell.is_hidden:
                    assert isinstance(value, str)
    for row in report.sections[-1].tables[0].rows:
        sent, answered = row.cells[0].value, row.cells[1].value
        if sent is not None and answered is not None:
            assert sent - answered == 0 or sent - answered >= minimum
    for published in populations_of(report):
        for believed in possible_values(published, minimum, cap=120).values():
            assert len(believed) >= 2 or believed == {0}, believed
