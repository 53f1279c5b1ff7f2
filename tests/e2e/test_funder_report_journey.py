"""A coordinator prepares the quarter's report for the funder: she opens it from the outcomes
page, chooses last quarter, reads the tables (a small group reads "fewer than 5"), and downloads
the PDF and the spreadsheet."""

import datetime as dt
import io
import zoneinfo

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect
from pypdf import PdfReader

from alongside.accounts.factories import DEMO_PASSWORD, user_with_role
from alongside.accounts.models import Role
from alongside.core.calendar import add_months, today_in
from alongside.matches.factories import MatchFactory
from alongside.programs.factories import ProgramFactory
from alongside.programs.models import Gender
from tests.e2e.conftest import Journey

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def coordinator_with_a_quarter():
    program = ProgramFactory(slug="ms", name="MS Peer Connect", reported_demographics=["gender"])
    today = today_in(program.time_zone)
    quarter = today.replace(day=1, month=(today.month - 1) // 3 * 3 + 1)
    middle = dt.datetime.combine(
        add_months(quarter, -2), dt.time(12), tzinfo=zoneinfo.ZoneInfo(program.time_zone)
    )
    for gender in [Gender.WOMAN] * 6 + [Gender.MAN] * 2:
        MatchFactory(program=program, started_at=middle, request__gender=gender)
    return user_with_role(Role.COORDINATOR, program, email="dana@example.org")


def test_a_coordinator_reads_and_downloads_last_quarters_funder_report(
    journey: Journey, coordinator_with_a_quarter
):
    page = journey.page
    journey.sign_in(coordinator_with_a_quarter.email, DEMO_PASSWORD)
    journey.open("/outcomes/")
    journey.go(page.get_by_role("link", name="Report to funders"))

    page.get_by_label("Period").select_option(label="Last quarter")
    journey.go(page.get_by_role("button", name="Show the report"), "last quarter")
    people = page.get_by_role("table", name="People supported by gender")
    expect(people.locator("tr", has=page.get_by_role("rowheader", name="Woman"))).to_contain_text(
        "6"
    )
    expect(
        people.locator("tr", has=page.get_by_role("rowheader", name="Man", exact=True))
    ).to_contain_text("fewer than 5")
    expect(people.locator("tr", has=page.get_by_role("rowheader", name="Total"))).to_contain_text(
        "8"
    )

    with page.expect_download() as pdf_download:
        page.get_by_role("link", name="Download PDF").click()
    pdf = PdfReader(pdf_download.value.path())
    assert "fewer than 5" in "".join(page_.extract_text() for page_ in pdf.pages)

    with page.expect_download() as xlsx_download:
        page.get_by_role("link", name="Download spreadsheet (XLSX)").click()
    assert xlsx_download.value.suggested_filename.endswith(".xlsx")
    with open(xlsx_download.value.path(), "rb") as saved:
        book = load_workbook(io.BytesIO(saved.read()))
    rows = {row[0]: row[1] for row in book["People supported"].iter_rows(values_only=True) if row}
    assert (rows["Woman"], rows["Man"], rows["Total"]) == (6, "fewer than 5", 8)
