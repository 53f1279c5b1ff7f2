"""Import existing supporters from a CSV or XLSX file: check every row first, then all or nothing.

A file with any error imports nothing; the preview lists each row with what is wrong with it.
"""

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import tablib  # type: ignore[import-untyped]
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from alongside.accounts.models import Role, User
from alongside.accounts.services import invite_person
from alongside.core.audit import record_event
from alongside.core.errors import DomainError
from alongside.core.forms import EARLIEST_DATE
from alongside.programs.models import Experience, Language, Program, Relationship
from alongside.supporters import steps
from alongside.supporters.models import LivedExperience, Supporter, SupporterStatus

COLUMNS = (
    "email",
    "first_name",
    "last_name",
    "status",
    "languages",
    "experience",
    "relationship",
    "since",
    "work_role",
    "region",
)
REQUIRED_COLUMNS = ("email", "first_name")
MAX_ROWS = 2000
IMPORTABLE_STATUSES = (
    SupporterStatus.APPLIED,
    SupporterStatus.SCREENING,
    SupporterStatus.ACTIVE,
    SupporterStatus.ON_BREAK,
)


@dataclass
class RowCheck:
    line: int  # as the person sees it in a spreadsheet: the header is line 1
    email: str
    name: str
    errors: list[str] = field(default_factory=list)
    values: dict[str, Any] = field(default_factory=dict)


@dataclass
class ImportCheck:
    rows: list[RowCheck]
    file_errors: list[str] = field(default_factory=list)

    @property
    def is_clean(self) -> bool:
        return not self.file_errors and all(not row.errors for row in self.rows)

    @property
    def error_count(self) -> int:
        return len(self.file_errors) + sum(1 for row in self.rows if row.errors)


def read_file(content: bytes, filename: str) -> tablib.Dataset:
    """The rows of a CSV (UTF-8) or XLSX file, headers from the first line."""
    try:
        if filename.lower().endswith(".xlsx"):
            return tablib.Dataset().load(content, format="xlsx")
        if filename.lower().endswith(".csv"):
            return tablib.Dataset().load(content.decode("utf-8-sig"), format="csv")
    except (UnicodeDecodeError, ValueError, KeyError, IndexError) as error:
        raise DomainError(_("We could not read this file: %(error)s") % {"error": error}) from None
    except Exception:  # openpyxl raises its own errors for a damaged workbook
        raise DomainError(_("We could not read this file as a spreadsheet.")) from None
    raise DomainError(_("Please choose a .csv or .xlsx file."))


def check_rows(*, program: Program, dataset: tablib.Dataset) -> ImportCheck:
    """Check every row against the program; changes nothing."""
    headers = [str(header or "").strip().lower() for header in (dataset.headers or [])]
    missing = [column for column in REQUIRED_COLUMNS if column not in headers]
    unknown = [
        header for header in headers if header and header not in COLUMNS and header != "since_year"
    ]
    file_errors = []
    if "since_year" in headers:
        file_errors.append(
            _(
                "The since_year column is now called since and takes a month: 2019-03, or a "
                "day: 2019-03-15. A year alone would count from January and could pass a rule "
                "of whole years too early."
            )
        )
    if missing:
        file_errors.append(_("Columns missing: %(columns)s.") % {"columns": ", ".join(missing)})
    if unknown:
        file_errors.append(
            _("Columns we do not know: %(columns)s. We know: %(known)s.")
            % {"columns": ", ".join(unknown), "known": ", ".join(COLUMNS)}
        )
    if len(dataset) > MAX_ROWS:
        file_errors.append(_("Please import at most %(count)d rows at once.") % {"count": MAX_ROWS})
    if file_errors:
        return ImportCheck(rows=[], file_errors=file_errors)
    experiences = {exp.slug: exp for exp in program.experiences.all()}
    existing = {
        email.lower()
        for email in Supporter.objects.filter(program=program).values_list("user__email", flat=True)
    }
    seen: set[str] = set()
    rows = []
    for index, raw in enumerate(dataset.dict, start=2):
        cells = {str(key).strip().lower(): _text(value) for key, value in raw.items() if key}
        row = _check_row(index, cells, experiences=experiences, existing=existing, seen=seen)
        rows.append(row)
    return ImportCheck(rows=rows)


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):  # a spreadsheet's date cell
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _check_row(
    line: int,
    cells: dict[str, str],
    *,
    experiences: dict[str, Experience],
    existing: set[str],
    seen: set[str],
) -> RowCheck:
    email = cells.get("email", "").lower()
    row = RowCheck(line=line, email=email, name=cells.get("first_name", ""))
    _check_email(email, row.errors, existing=existing, seen=seen)
    if not row.name:
        row.errors.append(_("The first name is missing."))
    status = cells.get("status") or SupporterStatus.SCREENING
    if status not in IMPORTABLE_STATUSES:
        row.errors.append(
            _("Status “%(status)s” is not one of: %(allowed)s.")
            % {"status": status, "allowed": ", ".join(IMPORTABLE_STATUSES)}
        )
    languages = _languages(cells, row.errors)
    experience = _experience(cells, row.errors, experiences=experiences)
    relationship = cells.get("relationship") or Relationship.SELF
    if relationship not in Relationship.values:
        row.errors.append(
            _("Relationship must be self, family or colleague (got “%(value)s”).")
            % {"value": relationship}
        )
    row.values = {
        "email": email,
        "first_name": row.name,
        "last_name": cells.get("last_name", ""),
        "status": status,
        "languages": languages,
        "experience": experience,
        "relationship": relationship,
        "since": _since(cells, row.errors),
        "work_role": cells.get("work_role", ""),
        "region": cells.get("region", ""),
    }
    return row


def _check_email(email: str, errors: list[str], *, existing: set[str], seen: set[str]) -> None:
    """An address, not yet a supporter here, and not on an earlier line; notes it as seen."""
    try:
        EmailValidator()(email)
    except ValidationError:
        errors.append(_("“%(email)s” is not an e-mail address.") % {"email": email})
    if email in existing:
        errors.append(_("This person is already a supporter in this program."))
    if email and email in seen:
        errors.append(_("This e-mail address is on an earlier line too."))
    seen.add(email)


def _languages(cells: dict[str, str], errors: list[str]) -> list[str]:
    languages = [code.strip() for code in cells.get("languages", "en").split(";") if code.strip()]
    bad_languages = [code for code in languages if code not in Language.values]
    if bad_languages or not languages:
        errors.append(
            _("Languages must be codes such as en;fr (got “%(value)s”).")
            % {"value": cells.get("languages", "")}
        )
    return languages


def _experience(
    cells: dict[str, str], errors: list[str], *, experiences: dict[str, Experience]
) -> Experience | None:
    if not cells.get("experience"):
        return None
    experience = experiences.get(cells["experience"])
    if experience is None:
        errors.append(
            _("The program does not serve the experience “%(code)s”.")
            % {"code": cells["experience"]}
        )
    return experience


def _since(cells: dict[str, str], errors: list[str]) -> dt.date | None:
    """The `since` column: a month (2019-03, stored as its 1st) or a day (2019-03-15).

    A year alone is refused: counted from 1 January it would add up to 11 months to a
    lived-experience rule. Left empty, the supporter or their coordinator adds it on the profile.
    """
    value = cells.get("since", "")
    if not value:
        return None
    if value.isdigit():
        errors.append(
            _(
                "Since “%(value)s” is only a year: write the month too, as %(value)s-03, or "
                "leave it empty and add it on the supporter's profile."
            )
            % {"value": value}
        )
        return None
    parts = value.split("-")
    try:
        if len(parts) not in (2, 3) or not all(part.isdigit() for part in parts):
            raise ValueError
        since = dt.date(int(parts[0]), int(parts[1]), int(parts[2]) if len(parts) == 3 else 1)
    except ValueError:
        errors.append(
            _("Since “%(value)s” is not a month such as 2019-03 or a day such as 2019-03-15.")
            % {"value": value}
        )
        return None
    if not EARLIEST_DATE <= since <= timezone.localdate():
        errors.append(_("Since “%(value)s” is in the future or too long ago.") % {"value": value})
        return None
    return since


@transaction.atomic
def import_supporters(*, program: Program, dataset: tablib.Dataset, by: User) -> int:
    """Create a supporter for every row, or none when any row has an error."""
    checked = check_rows(program=program, dataset=dataset)
    if not checked.is_clean:
        raise DomainError(
            _("Nothing was imported: %(count)d problems to fix first.")
            % {"count": checked.error_count}
        )
    imported = []
    for row in checked.rows:
        values = row.values
        user = invite_person(
            email=values["email"],
            first_name=values["first_name"],
            program=program,
            role=Role.SUPPORTER,
            invited_by=by,
        ).user
        supporter = Supporter.objects.create(
            program=program,
            user=user,
            last_name=values["last_name"],  # encrypted on the supporter, not on the account
            status=values["status"],
            languages=values["languages"],
            contact_methods=program.contact_methods[:1],
            work_role=values["work_role"],
            region=values["region"],
        )
        imported.append(supporter.pk)
        if values["experience"] is not None:
            LivedExperience.objects.create(
                supporter=supporter,
                experience=values["experience"],
                relationship=values["relationship"],
                since=values["since"],
            )
    steps.place_again(imported)  # those on their way, each at their first step
    record_event(
        actor=by,
        action="supporters.supporters.imported",
        target=program,
        data={"count": len(checked.rows)},
    )
    return len(checked.rows)
