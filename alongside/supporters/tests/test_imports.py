"""Importing existing supporters: a dry-run check row by row, then all rows or none."""

import datetime as dt
import io

import openpyxl
import pytest
import tablib
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from alongside.core import blind_index
from alongside.core.errors import DomainError
from alongside.notifications.models import OutboxMessage
from alongside.supporters import imports
from alongside.supporters.models import LivedExperience, Supporter, SupporterStatus

pytestmark = pytest.mark.django_db

GOOD_CSV = (
    "email,first_name,last_name,status,languages,experience,relationship,since\n"
    "lee@example.org,Lee,Wong,active,en;fr,ms,self,2012-05\n"
    "kim@example.org,Kim,Roy,,en,ms,family,2019-11-20\n"
)
BAD_CSV = (
    "email,first_name,status,languages,experience\n"
    "lee@example.org,Lee,active,en,ms\n"
    "not-an-address,Kim,retired,xx,flu\n"
    "lee@example.org,,active,en,ms\n"
)


def dataset(text: str) -> tablib.Dataset:
    return imports.read_file(text.encode(), "supporters.csv")


def test_a_good_file_is_checked_clean_and_imports_every_row(program_a, ms, coordinator_a):
    checked = imports.check_rows(program=program_a, dataset=dataset(GOOD_CSV))
    assert checked.is_clean

    count = imports.import_supporters(
        program=program_a, dataset=dataset(GOOD_CSV), by=coordinator_a
    )

    assert count == 2
    lee = Supporter.objects.get(user__email="lee@example.org")
    assert lee.status == SupporterStatus.ACTIVE
    assert lee.languages == ["en", "fr"]
    assert lee.experiences.get().experience == ms
    kim = Supporter.objects.get(user__email="kim@example.org")
    assert kim.status == SupporterStatus.SCREENING


def test_an_imported_supporters_last_name_is_kept_encrypted_on_them_not_on_their_account(
    program_a, ms, coordinator_a
):
    imports.import_supporters(program=program_a, dataset=dataset(GOOD_CSV), by=coordinator_a)

    lee = Supporter.objects.get(user__email="lee@example.org")
    assert (lee.user.first_name, lee.user.last_name) == ("Lee", "")
    assert lee.last_name == "Wong"
    assert (
        Supporter.objects.filter(blind_index.matches(Supporter, "last_name", "WONG")).get() == lee
    )


def test_each_imported_supporter_is_invited_to_choose_a_password(program_a, ms, coordinator_a):
    imports.import_supporters(program=program_a, dataset=dataset(GOOD_CSV), by=coordinator_a)

    invited = OutboxMessage.objects.filter(kind="accounts.invitation.sent")
    assert sorted(message.to_address for message in invited) == [
        "kim@example.org",
        "lee@example.org",
    ]


def test_a_bad_file_gets_a_report_row_by_row(program_a, ms):
    checked = imports.check_rows(program=program_a, dataset=dataset(BAD_CSV))

    assert not checked.is_clean
    first, second, third = checked.rows
    assert (first.line, first.errors) == (2, [])
    assert second.line == 3
    assert "“not-an-address” is not an e-mail address." in second.errors
    assert any("retired" in error for error in second.errors)
    assert any("Languages must be codes" in error for error in second.errors)
    assert "The program does not serve the experience “flu”." in second.errors
    assert third.errors == [
        "This e-mail address is on an earlier line too.",
        "The first name is missing.",
    ]


def test_a_file_with_errors_imports_nothing(program_a, ms, coordinator_a):
    with pytest.raises(DomainError, match="Nothing was imported: 2 problems"):
        imports.import_supporters(program=program_a, dataset=dataset(BAD_CSV), by=coordinator_a)

    assert not Supporter.objects.filter(program=program_a).exists()


def test_a_file_missing_a_required_column_is_refused(program_a):
    checked = imports.check_rows(program=program_a, dataset=dataset("email,name\na@b.org,A\n"))

    assert checked.file_errors[0] == "Columns missing: first_name."
    assert "Columns we do not know: name." in checked.file_errors[1]


def test_an_existing_supporter_is_not_imported_twice(program_a, supporter_a):
    text = f"email,first_name\n{supporter_a.user.email},Sam\n"

    (row,) = imports.check_rows(program=program_a, dataset=dataset(text)).rows

    assert row.errors == ["This person is already a supporter in this program."]


def test_an_xlsx_file_is_read_too(program_a, ms):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["email", "first_name", "since"])
    sheet.append(["ana@example.org", "Ana", dt.date(2015, 3, 12)])  # a date cell
    sheet.append(["bo@example.org", "Bo", "2016-07"])
    buffer = io.BytesIO()
    workbook.save(buffer)

    checked = imports.check_rows(
        program=program_a, dataset=imports.read_file(buffer.getvalue(), "people.xlsx")
    )

    assert checked.is_clean
    assert [row.values["since"] for row in checked.rows] == [
        dt.date(2015, 3, 12),
        dt.date(2016, 7, 1),
    ]


def test_since_is_a_month_or_a_day_and_the_rows_keep_it(program_a, ms, coordinator_a):
    imports.import_supporters(program=program_a, dataset=dataset(GOOD_CSV), by=coordinator_a)

    lived = LivedExperience.objects.order_by("supporter__user__email")
    assert [item.since for item in lived] == [dt.date(2019, 11, 20), dt.date(2012, 5, 1)]


@pytest.mark.parametrize(
    ("value", "error"),
    [
        (
            "2019",
            "Since “2019” is only a year: write the month too, as 2019-03, or leave it empty "
            "and add it on the supporter's profile.",
        ),
        ("March 2019", "Since “March 2019” is not a month such as 2019-03"),
        ("2019-13", "Since “2019-13” is not a month such as 2019-03"),
        ("2099-01", "Since “2099-01” is in the future or too long ago."),
    ],
)
def test_a_since_that_is_not_a_month_is_explained_on_its_line(program_a, ms, value, error):
    text = f"email,first_name,experience,since\nana@example.org,Ana,ms,{value}\n"

    (row,) = imports.check_rows(program=program_a, dataset=dataset(text)).rows

    assert len(row.errors) == 1
    assert row.errors[0].startswith(error)


def test_the_old_since_year_column_is_refused_with_its_new_name(program_a, ms):
    text = "email,first_name,since_year\nana@example.org,Ana,2015\n"

    checked = imports.check_rows(program=program_a, dataset=dataset(text))

    assert not checked.is_clean
    assert checked.file_errors == [
        "The since_year column is now called since and takes a month: 2019-03, or a day: "
        "2019-03-15. A year alone would count from January and could pass a rule of whole "
        "years too early."
    ]


def test_a_file_of_another_kind_is_refused(program_a):
    with pytest.raises(DomainError, match=r"\.csv or \.xlsx"):
        imports.read_file(b"hello", "people.txt")


def test_the_import_page_checks_without_importing_then_imports(
    client, coordinator_a, program_a, ms
):
    client.force_login(coordinator_a)
    upload = SimpleUploadedFile("s.csv", GOOD_CSV.encode(), content_type="text/csv")

    checked = client.post(
        reverse("supporters:import"), {"program": program_a.pk, "file": upload, "check": ""}
    )

    assert "2 rows are ready to import." in checked.text
    assert not Supporter.objects.filter(program=program_a).exists()
    upload = SimpleUploadedFile("s.csv", GOOD_CSV.encode(), content_type="text/csv")
    imported = client.post(
        reverse("supporters:import"), {"program": program_a.pk, "file": upload, "import": ""}
    )
    assert imported.status_code == 302
    assert Supporter.objects.filter(program=program_a).count() == 2


def test_another_programs_coordinator_cannot_import_into_our_program(
    client, coordinator_b, program_a, ms
):
    client.force_login(coordinator_b)
    upload = SimpleUploadedFile("s.csv", GOOD_CSV.encode(), content_type="text/csv")

    response = client.post(
        reverse("supporters:import"), {"program": program_a.pk, "file": upload, "import": ""}
    )

    assert response.status_code == 200
    assert not Supporter.objects.filter(program=program_a).exists()
