"""Every change to the resource directory and the referrals counted from it."""

import csv
import datetime as dt
import io
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from alongside.accounts.models import User
from alongside.core.audit import record_event
from alongside.core.errors import DomainError
from alongside.programs.models import Language, Program
from alongside.programs.services.translations import Texts, checked_translations
from alongside.resources.models import Referral, Resource, ResourceCategory

RESOURCE_FIELDS = (
    "name",
    "offers",
    "category",
    "region",
    "languages",
    "contact",
    "eligibility",
    "last_reviewed_on",
)
CSV_COLUMNS = (
    "name",
    "offers",
    "category",
    "region",
    "languages",
    "contact",
    "eligibility",
    "last_reviewed",
)
MAX_IMPORT_ROWS = 2000


def _validated(resource: Resource) -> Resource:
    try:
        resource.full_clean()
    except ValidationError as error:
        problems = "; ".join(
            f"{field}: {' '.join(messages)}" for field, messages in error.message_dict.items()
        )
        raise DomainError(problems) from error
    return resource


@transaction.atomic
def save_resource(
    *,
    program: Program,
    by: User,
    resource: Resource | None = None,
    translations: Texts | None = None,
    **fields: Any,
) -> Resource:
    """Add a resource to a program's directory, or change one; `translations` holds its texts
    in the program's other languages."""
    unknown = set(fields) - set(RESOURCE_FIELDS) - {"is_active"}
    if unknown:
        raise TypeError(f"Unknown resource fields: {sorted(unknown)}")
    is_new = resource is None
    resource = resource or Resource(program=program)
    if resource.program_id != program.pk:
        raise DomainError(_("That resource belongs to another program."))
    for name, value in fields.items():
        setattr(resource, name, value)
    resource.translations = checked_translations(resource, translations or {})
    _validated(resource).save()
    record_event(
        actor=by,
        action="resources.resource.added" if is_new else "resources.resource.changed",
        target=resource,
    )
    return resource


@dataclass(frozen=True)
class ImportResult:
    added: int
    updated: int


def _row_fields(row: dict[str, str], line: int) -> dict[str, Any]:
    category = (row.get("category") or "").strip().lower()
    if category not in ResourceCategory.values:
        raise DomainError(
            _("Line %(line)s: “%(value)s” is not a category we know (%(known)s).")
            % {"line": line, "value": category, "known": ", ".join(ResourceCategory.values)}
        )
    languages = [code.strip() for code in (row.get("languages") or "").split(";") if code.strip()]
    unknown = [code for code in languages if code not in Language.values]
    if unknown:
        raise DomainError(
            _("Line %(line)s: unknown language codes: %(codes)s.")
            % {"line": line, "codes": ", ".join(unknown)}
        )
    reviewed_text = (row.get("last_reviewed") or "").strip()
    try:
        reviewed = dt.date.fromisoformat(reviewed_text) if reviewed_text else None
    except ValueError as error:
        raise DomainError(
            _("Line %(line)s: give the review date as YYYY-MM-DD.") % {"line": line}
        ) from error
    return {
        "name": (row.get("name") or "").strip(),
        "offers": (row.get("offers") or "").strip(),
        "category": category,
        "region": (row.get("region") or "").strip(),
        "languages": languages,
        "contact": (row.get("contact") or "").strip(),
        "eligibility": (row.get("eligibility") or "").strip(),
        "last_reviewed_on": reviewed,
    }


@transaction.atomic
def import_resources(*, program: Program, by: User, csv_text: str) -> ImportResult:
    """Add or update resources from CSV, matched by name; all rows or none."""
    reader = csv.DictReader(io.StringIO(csv_text))
    missing = [
        column
        for column in ("name", "offers", "category")
        if column not in (reader.fieldnames or [])
    ]
    if missing:
        raise DomainError(
            _("The file needs these columns: %(columns)s.") % {"columns": ", ".join(CSV_COLUMNS)}
        )
    added = updated = 0
    for line, row in enumerate(reader, start=2):
        if line - 1 > MAX_IMPORT_ROWS:
            raise DomainError(
                _("Import at most %(count)s rows at once.") % {"count": MAX_IMPORT_ROWS}
            )
        fields = _row_fields(row, line)
        existing = Resource.objects.filter(program=program, name=fields["name"]).first()
        resource = existing or Resource(program=program)
        for name, value in fields.items():
            setattr(resource, name, value)
        try:
            _validated(resource).save()
        except DomainError as error:
            raise DomainError(
                _("Line %(line)s: %(problem)s") % {"line": line, "problem": error.message}
            ) from error
        if existing:
            updated += 1
        else:
            added += 1
    if not added and not updated:
        raise DomainError(_("The file has no rows."))
    record_event(
        actor=by,
        action="resources.resource.imported",
        target=program,
        data={"added": added, "updated": updated},
    )
    return ImportResult(added=added, updated=updated)


class _InAProgram(Protocol):
    program_id: int


class SharedDuring(Protocol):
    """A match's contact (matches, above us, passes its ContactLog; we only need these)."""

    pk: int

    @property
    def match(self) -> _InAProgram: ...


def record_referrals(
    *, contact: SharedDuring, resources: Sequence[Resource], shared_by: User
) -> list[Referral]:
    """Count the resources shared during a contact (called inside log_contact's transaction)."""
    program_id = contact.match.program_id
    if any(resource.program_id != program_id or not resource.is_active for resource in resources):
        raise DomainError(_("Share resources from this program's directory."))
    now = timezone.now()
    return Referral.objects.bulk_create(
        Referral(
            resource=resource,
            program_id=program_id,
            contact_id=contact.pk,
            region=resource.region,
            shared_by=shared_by,
            shared_at=now,
        )
        for resource in dict.fromkeys(resources)
    )
