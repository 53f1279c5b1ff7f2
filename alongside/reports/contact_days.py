"""Contacts by day, kept for the figures so a year of contacts is a year of days, not of rows
(the model: reports/models.py; why: docs/adr/0009).

A contact made adds itself to its program's day as it is saved: a model signal keeps these
counts, as the matching snapshot's are kept (ADR 0001), so every way a contact is written
counts, and the contact services know nothing of reports. A contact changed or deleted cannot be
taken back out exactly (its earlier values are gone), so it marks its program uncounted instead;
so does a change of the program's time zone (its days are another zone's). The figures count an
uncounted program's contacts themselves, exactly but slower, until the program is counted
afresh by the periodic job, in the worker: never inside the save of a contact, where counting a
program's every contact would make one person's save wait on the whole program. A bulk write
(`bulk_create`, a queryset's `update`) sends no signal: whoever writes contacts so must call
`forget_counts` for the program.
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import TruncDate, TruncMonth
from django.db.models.signals import post_delete, post_save

from alongside.matches.models import ContactLog, Match
from alongside.programs.models import Program
from alongside.reports.models import ContactDay
from alongside.reports.periods import Period

# A change to any other field of a contact leaves the counts as they are.
COUNTED_FIELDS = frozenset({"match", "match_id", "occurred_at", "minutes", "was_made"})


def _counted_row(program_id: int) -> ContactDay:
    """The program's row with no day, locked: each change to the program's days waits for the
    one before, so a contact saved while the program is counted afresh is counted once."""
    row, _created = ContactDay.objects.select_for_update().get_or_create(
        program_id=program_id, day=None
    )
    return row


def _count_afresh(program: Program, counted: ContactDay) -> None:
    """Every day of the program's contacts, counted from the contacts in its zone now."""
    ContactDay.objects.filter(program=program, day__isnull=False).delete()
    days = (
        ContactLog.objects.filter(match__program=program, was_made=True)
        .values(on=TruncDate("occurred_at", tzinfo=program.calendar.zone))
        .annotate(contacts=Count("pk"), minutes=Sum("minutes"))
        .order_by()
    )
    ContactDay.objects.bulk_create(
        [
            ContactDay(
                program=program, day=row["on"], contacts=row["contacts"], minutes=row["minutes"]
            )
            for row in days
        ],
        batch_size=1000,
    )
    counted.time_zone = program.time_zone
    counted.save(update_fields=["time_zone"])


@transaction.atomic(savepoint=False)  # the row lock needs a transaction; the caller's will do
def count_contact(contact: ContactLog) -> None:
    """A new contact: one more on its program's day, when it was made. An uncounted program's
    days are left as they are: the periodic job counts them afresh, this contact with them."""
    if not contact.was_made:
        return
    program = contact.match.program
    counted = _counted_row(program.pk)
    if counted.time_zone != program.time_zone:
        return
    day = program.calendar.today(contact.occurred_at)
    added = ContactDay.objects.filter(program=program, day=day).update(
        contacts=F("contacts") + 1, minutes=F("minutes") + contact.minutes
    )
    if not added:
        ContactDay.objects.create(program=program, day=day, contacts=1, minutes=contact.minutes)


def forget_counts(*, program_id: int | Subquery) -> None:
    """The program's days are no longer known exactly (`program_id`: an id, or an expression
    of one): the figures count its contacts themselves until it is counted afresh."""
    ContactDay.objects.filter(program_id=program_id, day__isnull=True).update(time_zone="")


def _on_contact_saved(
    sender: type[ContactLog],
    instance: ContactLog,
    created: bool,
    update_fields: frozenset[str] | None = None,
    **kwargs: object,
) -> None:
    if created:
        count_contact(instance)
    elif update_fields is None or COUNTED_FIELDS & update_fields:
        forget_counts(program_id=instance.match.program_id)


def _on_contact_deleted(sender: type[ContactLog], instance: ContactLog, **kwargs: object) -> None:
    # Its match may be on its way out too (a cascade): read its program in the same statement.
    forget_counts(
        program_id=Subquery(Match.objects.filter(pk=instance.match_id).values("program_id")[:1])
    )


def keep_counts() -> None:
    """Keeps the contacts' days as contacts are saved and deleted (ReportsConfig.ready)."""
    post_save.connect(_on_contact_saved, sender=ContactLog, dispatch_uid="reports-contact-days")
    post_delete.connect(
        _on_contact_deleted, sender=ContactLog, dispatch_uid="reports-contact-days-deleted"
    )


def uncounted_programs(_now: dt.datetime) -> QuerySet[Program]:
    """Programs whose contacts are not counted by day in their zone (the periodic job's)."""
    counted = ContactDay.objects.filter(
        program=OuterRef("pk"), day__isnull=True, time_zone=OuterRef("time_zone")
    )
    return Program.objects.exclude(Exists(counted)).order_by("pk")


@transaction.atomic
def count_program_contacts(program_id: int, _now: dt.datetime) -> int:
    """Counts the program's contacts by day afresh, unless they are counted (then 0)."""
    program = Program.objects.get(pk=program_id)
    counted = _counted_row(program.pk)
    if counted.time_zone == program.time_zone:
        return 0
    _count_afresh(program, counted)
    return 1


@dataclass(frozen=True)
class CountedContacts:
    # The first day of each month: (contacts, minutes), of the programs counted.
    by_month: dict[dt.date, tuple[int, int]]
    uncounted: list[Program]  # whose contacts the figure must count itself


def counted_by_month(programs: list[Program], period: Period) -> CountedContacts:
    """The counted programs' contacts in each month of the period, and which programs are not
    counted (one query: their days, and the rows that say whether they are counted)."""
    rows = (
        ContactDay.objects.filter(program__in=programs)
        .filter(Q(day__isnull=True) | Q(day__gte=period.start, day__lte=period.end))
        .values("program_id", "time_zone", month=TruncMonth("day"))
        .annotate(contacts=Sum("contacts"), minutes=Sum("minutes"))
        .order_by()
    )
    zones = {program.pk: program.time_zone for program in programs}
    days: list[tuple[int, dt.date, int, int]] = []
    counted = set()
    for row in rows:
        if row["month"] is not None:
            days.append((row["program_id"], row["month"], row["contacts"], row["minutes"]))
        elif row["time_zone"] == zones[row["program_id"]]:
            counted.add(row["program_id"])
    by_month: dict[dt.date, tuple[int, int]] = defaultdict(lambda: (0, 0))
    for program_id, month, contacts, minutes in days:
        if program_id in counted:
            so_far = by_month[month]
            by_month[month] = (so_far[0] + contacts, so_far[1] + minutes)
    return CountedContacts(
        by_month=dict(by_month),
        uncounted=[program for program in programs if program.pk not in counted],
    )
