"""The funder report's page and downloads: who may have them, what they hold, and what they cost."""

import datetime as dt
import io
import zoneinfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from alongside.core.models import AuditEvent
from alongside.intake.factories import SupportRequestFactory
from alongside.matches.factories import MatchFactory
from alongside.programs.models import Gender
from alongside.reports.funder.report import build_report
from alongside.reports.funder.xlsx import render_xlsx
from alongside.reports.funder_views import report_title
from alongside.reports.periods import Period
from alongside.supporters.factories import SupporterFactory
from alongside.supporters.models import SupporterStatus, WithdrawalReason

pytestmark = pytest.mark.django_db

TORONTO = zoneinfo.ZoneInfo("America/Toronto")
Q1 = {"period": "custom", "start": "2026-01-01", "end": "2026-03-31"}


def q1_of(program) -> dict[str, str]:
    return {"program": str(program.pk), **Q1}


def at(day: str) -> dt.datetime:
    return dt.datetime.combine(dt.date.fromisoformat(day), dt.time(12), tzinfo=TORONTO)


@pytest.fixture
def busy_a(program_a):
    """Program A in the first quarter: 7 women and 2 men supported, one match closed."""
    program_a.reported_demographics = ["gender"]
    program_a.save(update_fields=["reported_demographics"])
    for gender in [Gender.WOMAN] * 7 + [Gender.MAN] * 2:
        MatchFactory(program=program_a, started_at=at("2026-02-01"), request__gender=gender)
    return program_a


def test_a_coordinator_reads_the_report_of_their_program_with_small_counts_hidden(
    client, coordinator_a, busy_a
):
    client.force_login(coordinator_a)

    response = client.get(reverse("reports:funder"), q1_of(busy_a))

    assert response.status_code == 200
    page = response.content.decode()
    assert "People supported by gender" in page
    people = {
        row.label: row.cells[0].text()
        for row in response.context["report"].sections[0].tables[1].rows
    }
    assert people["Woman"] == "7"
    assert people["Man"] == "fewer than 5"
    assert people["Total"] == "9"
    assert "fewer than 5" in page


def test_the_report_counts_who_withdrew_by_main_reason_with_small_counts_hidden(
    client, coordinator_a, busy_a, program_b
):
    for program, reason, count in (
        (busy_a, WithdrawalReason.TIME, 6),
        (busy_a, WithdrawalReason.MOVED, 2),
        (program_b, WithdrawalReason.MOVED, 9),
    ):
        for _ in range(count):
            SupporterFactory(
                program=program,
                status=SupporterStatus.WITHDRAWN,
                withdrawal_reason=reason,
                status_changed_at=at("2026-02-10"),
            )
    client.force_login(coordinator_a)

    response = client.get(reverse("reports:funder"), q1_of(busy_a))

    section = next(s for s in response.context["report"].sections if s.key == "supporters")
    summary, by_reason = section.tables
    assert {row.label: row.cells[0].text() for row in summary.rows}[
        "Supporters who withdrew"
    ] == "8"
    reasons = {row.label: row.cells[0].text() for row in by_reason.rows}
    # 2 moved is under 5; the 8 - 6 left over could be any of the six hidden reasons (every
    # reason is listed, zeros too), so the 6 may show.
    assert reasons["Moved away"] == "fewer than 5"
    assert reasons["Less time: work, family or life changed"] == "6"
    assert reasons["Not recorded"] == "fewer than 5"
    assert reasons["Total"] == "8"
    assert "Supporters who withdrew, by main reason" in response.content.decode()


def test_the_page_opens_on_the_default_period_without_choosing(client, coordinator_a, busy_a):
    client.force_login(coordinator_a)

    response = client.get(reverse("reports:funder"))

    assert response.status_code == 200
    assert response.context["report"] is not None


@pytest.mark.parametrize("persona", ["supporter_a", "peer_user"])
def test_supporters_and_peers_are_refused(client, request, persona, busy_a):
    user = request.getfixturevalue(persona)
    client.force_login(getattr(user, "user", user))

    for name in ("reports:funder", "reports:funder_pdf", "reports:funder_xlsx"):
        assert client.get(reverse(name), q1_of(busy_a)).status_code == 403


def test_a_coordinator_of_another_program_never_gets_its_numbers(client, coordinator_b, busy_a):
    client.force_login(coordinator_b)

    for name in ("reports:funder", "reports:funder_pdf", "reports:funder_xlsx"):
        response = client.get(reverse(name), q1_of(busy_a))
        assert response.status_code == 400
        assert response["Content-Type"].startswith("text/html")
        assert response.context["report"] is None
    assert not AuditEvent.objects.filter(action="reports.funder.downloaded").exists()


def test_all_my_programs_counts_only_the_programs_the_coordinator_staffs(
    client, coordinator_a, busy_a, program_b, ms
):
    from alongside.accounts.models import Role
    from alongside.accounts.services import grant_role

    other = type(program_b).objects.create(
        slug="program-c", name="Program C", languages=["en"], contact_methods=["phone"]
    )
    grant_role(user=coordinator_a, program=other, role=Role.COORDINATOR, granted_by=coordinator_a)
    for _ in range(6):
        MatchFactory(program=program_b, started_at=at("2026-02-01"))
    client.force_login(coordinator_a)

    response = client.get(reverse("reports:funder"), {"program": "all", **Q1})

    rows = response.context["report"].sections[0].tables[0].rows
    assert rows[0].cells[0].text() == "9"


def test_the_pdf_is_tagged_in_the_readers_language_with_headings_and_hidden_counts(
    client, coordinator_a, busy_a
):
    client.force_login(coordinator_a)

    response = client.get(reverse("reports:funder_pdf"), q1_of(busy_a))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    pdf = PdfReader(io.BytesIO(response.content))
    root = pdf.trailer["/Root"]
    assert "/StructTreeRoot" in root
    assert root["/MarkInfo"]["/Marked"]
    assert root["/Lang"] == "en"
    assert "Report to funders" in pdf.metadata.title
    text = "".join(page.extract_text() for page in pdf.pages)
    assert "People supported by gender" in text
    assert "fewer than 5" in text
    event = AuditEvent.objects.get(action="reports.funder.downloaded")
    assert (event.actor, event.program_id, event.data["format"]) == (
        coordinator_a,
        busy_a.pk,
        "pdf",
    )


def test_a_french_reader_gets_a_pdf_in_canadian_french(client, coordinator_a, busy_a):
    coordinator_a.language = "fr-ca"
    coordinator_a.save(update_fields=["language"])
    client.force_login(coordinator_a)

    response = client.get(reverse("reports:funder_pdf"), q1_of(busy_a))

    pdf = PdfReader(io.BytesIO(response.content))
    assert pdf.trailer["/Root"]["/Lang"] == "fr-CA"
    assert "moins de 5" in "".join(page.extract_text() for page in pdf.pages)


def test_the_spreadsheet_has_a_sheet_per_section_with_the_same_hidden_cells(
    client, coordinator_a, busy_a
):
    client.force_login(coordinator_a)

    response = client.get(reverse("reports:funder_xlsx"), q1_of(busy_a))

    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames[:3] == ["About", "People supported", "Requests and time to match"]
    rows = {row[0]: row[1] for row in book["People supported"].iter_rows(values_only=True) if row}
    assert rows["Woman"] == 7
    assert rows["Man"] == "fewer than 5"
    assert AuditEvent.objects.filter(
        action="reports.funder.downloaded", data__format="xlsx"
    ).exists()


def test_the_report_page_reads_a_busy_program_in_a_bounded_number_of_queries(
    client, coordinator_a, busy_a
):
    for _ in range(20):
        MatchFactory(
            program=busy_a,
            started_at=at("2026-01-10"),
            closed_at=at("2026-03-01"),
            status="closed",
            closure_reason="goals_met",
        )
    SupportRequestFactory.create_batch(5, program=busy_a, received_at=at("2026-02-02"))
    busy_a.reported_demographics = ["gender", "age_group", "language", "relationship", "source"]
    busy_a.save(update_fields=["reported_demographics"])
    client.force_login(coordinator_a)

    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("reports:funder"), q1_of(busy_a))

    assert response.status_code == 200
    # Session, user, programs; the people in one query whatever the demographics; the figures.
    assert len(queries) <= 22, [query["sql"][:60] for query in queries]


def test_the_outcome_change_shows_its_response_rate_and_means_only_over_enough_people(
    client, coordinator_a, busy_a
):
    from decimal import Decimal

    from alongside.outcomes.factories import SurveyFactory
    from alongside.outcomes.models import Occasion

    matches = list(busy_a.matches.all())
    for number, match in enumerate(matches):  # 9 sent at the start, 7 answered
        answered = number < 7
        SurveyFactory(
            match=match,
            sent_at=at("2026-02-02"),
            answered_at=at("2026-02-03") if answered else None,
            score=Decimal(6) if answered else None,
        )
    for match in matches[:6]:  # 6 answered at closure too, each 2 points lower
        SurveyFactory(
            match=match,
            occasion=Occasion.CLOSURE,
            sent_at=at("2026-03-02"),
            answered_at=at("2026-03-03"),
            score=Decimal(4),
        )
    client.force_login(coordinator_a)

    response = client.get(reverse("reports:funder"), q1_of(busy_a))

    outcomes = response.context["report"].sections[-1].tables[0]
    (row,) = outcomes.rows
    # 15 sent, 13 answered: the 2 who did not answer are too few, so the answered are withheld.
    assert [cell.text() for cell in row.cells] == [
        "15",
        "not shown",
        "not shown",
        "6",
        "6.00",
        "4.00",
        "-2.00",
    ]


def test_a_report_of_no_program_counts_nothing_at_the_default_minimum_and_says_so(program_a):
    """Not a page's choice (it offers only one's own programs), but a report built for none
    holds every section, each count hidden, and names no program rather than a blank."""
    MatchFactory(program=program_a, started_at=at("2026-02-01"))

    report = build_report(programs=(), period=Period(dt.date(2026, 1, 1), dt.date(2026, 3, 31)))

    assert (report.programs, report.minimum) == ((), 5)
    assert [section.key for section in report.sections] == [
        "people",
        "requests",
        "matches",
        "hours",
        "supporters",
        "groups",
        "outcomes",
    ]
    counts = [
        cell
        for section in report.sections
        for table in section.tables
        for row in table.rows
        for cell in row.cells
        if cell.counts_people
    ]
    assert counts
    assert all(cell.is_hidden for cell in counts)
    assert report_title(report).startswith("Report to funders: no program,")
    book = load_workbook(io.BytesIO(render_xlsx(report, title=report_title(report))))
    assert ["Programs", "no program"] in [
        list(row[:2]) for row in book["About"].iter_rows(values_only=True)
    ]
