"""The MS coordinator's numbers: she lands on her dashboard, reads the time to match (its chart
and the table beside it), follows "Overdue" to the requests behind it, sorts them, exports
them to a spreadsheet that holds the same rows, and downloads the quarter's funder report."""

import datetime as dt
import io
import re

import pytest
from django.utils import timezone
from openpyxl import load_workbook
from playwright.sync_api import expect
from pypdf import PdfReader

from alongside.accounts.factories import DEMO_PASSWORD, user_with_role
from alongside.accounts.models import Role
from alongside.intake.factories import SupportRequestFactory
from alongside.matches.factories import MatchFactory
from alongside.programs.factories import ProgramFactory
from tests.e2e.conftest import Journey
from tests.e2e.test_list_journey import names

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def ms_coordinator():
    program = ProgramFactory(slug="ms", name="MS Peer Connect")
    now = timezone.now()
    for name, hours, days_ago in (("Zoe", -30, 2), ("Ana", -5, 4), ("Max", 30, 1)):
        SupportRequestFactory(
            program=program,
            peer__first_name=name,
            due_at=now + dt.timedelta(hours=hours),
            received_at=now - dt.timedelta(days=days_ago),
        )
    for days_waited in (1, 3):  # two requests matched in the last twelve months
        started = now - dt.timedelta(days=20)
        MatchFactory(
            program=program,
            started_at=started,
            request__received_at=started - dt.timedelta(days=days_waited),
        )
    return user_with_role(Role.COORDINATOR, program, email="dana@example.org")


def test_the_coordinator_reads_her_numbers_follows_one_exports_it_and_reports_to_her_funder(
    journey: Journey, ms_coordinator
):
    page = journey.page
    journey.sign_in(ms_coordinator.email, DEMO_PASSWORD)
    expect(page.get_by_role("heading", name="How your programs are doing", level=1)).to_be_visible()

    page.get_by_label("Period", exact=True).select_option(label="Last 12 months")
    journey.go(page.get_by_role("button", name="Show"), "last 12 months")
    time_to_match = page.locator("section", has=page.get_by_role("heading", name="Time to match"))
    expect(time_to_match.get_by_role("img")).to_have_attribute(
        "aria-label", re.compile(r"^2 requests matched; half within")
    )
    expect(
        time_to_match.locator("tr", has=page.get_by_role("rowheader", name="Requests matched"))
    ).to_contain_text("2")
    waiting = page.get_by_role("table", name="Requests waiting for a match")
    expect(waiting.locator("tr", has=page.get_by_role("link", name="Overdue"))).to_contain_text("2")

    journey.go(waiting.get_by_role("link", name="Overdue"))
    expect(page.locator("#list-count")).to_have_text("2 requests")
    expect(page.get_by_label("Due")).to_have_value("overdue")
    page.get_by_role("link", name="Waiting since", exact=True).click()
    expect(page.locator("th[aria-sort=ascending]")).to_have_text("Waiting since ▲")
    journey.check("overdue, sorted by waiting since")
    shown = names(page)
    assert shown == ["Ana", "Zoe"]

    # The rows name people: she confirms it is her before the file is made.
    journey.go(page.get_by_role("link", name="Export XLSX"))
    expect(page.get_by_role("heading", name="Confirm it is you", level=1)).to_be_visible()
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    with page.expect_download() as download:
        page.get_by_role("button", name="Confirm").click()
    assert download.value.suggested_filename.endswith(".xlsx")
    with open(download.value.path(), "rb") as saved:
        sheet = load_workbook(io.BytesIO(saved.read())).active
    header, *rows = list(sheet.iter_rows(values_only=True))
    assert [row[header.index("Request")] for row in rows] == shown

    journey.open("/dashboard/")
    journey.go(page.get_by_role("link", name="Report to funders"))
    page.get_by_label("Period").select_option(label="This quarter")
    journey.go(page.get_by_role("button", name="Show the report"), "this quarter")
    with page.expect_download() as pdf_download:
        page.get_by_role("link", name="Download PDF").click()
    text = "".join(page_.extract_text() for page_ in PdfReader(pdf_download.value.path()).pages)
    assert "MS Peer Connect" in text

    # A row of the list opens the request's own page, whole (not inside the list).
    journey.open("/requests/?due=overdue&sort=waiting")
    page.get_by_role("link", name="Waiting since", exact=True).click()  # sorted in place first
    expect(page.locator("th[aria-sort=descending]")).to_have_text("Waiting since ▼")
    journey.check("sorted by waiting since, descending")
    journey.go(page.locator("#list-region tbody").get_by_role("link").first)
    expect(page.get_by_role("banner")).to_have_count(1)
    expect(page).to_have_url(re.compile(r"/requests/\d+/$"))
