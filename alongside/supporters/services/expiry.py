"""Expiry: reminders before a training or check runs out, and a pause once it has."""

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext_lazy
from django_stubs_ext import StrOrPromise

from alongside.accounts.models import Role, User
from alongside.core.audit import audit_event, record_event, record_events
from alongside.core.calendar import today_in
from alongside.core.lazy_text import capitalized, filled, joined
from alongside.notifications.notify import Notice, notify_all
from alongside.notifications.team import coordinators_of, notice_to_coordinators
from alongside.programs.models import Program, TrainingModule
from alongside.programs.queries import members_of
from alongside.supporters import messages
from alongside.supporters.models import (
    BackgroundCheck,
    CheckStatus,
    PauseReason,
    Supporter,
    SupporterStatus,
    TrainingRecord,
)


@dataclass(frozen=True)
class Expiring:
    key: str  # which record, for idempotency keys
    what: StrOrPromise  # for people, in each reader's language: "the Boundaries training"
    expires_on: dt.date
    record: TrainingRecord | BackgroundCheck  # which records its reminder (reminded_days_before)


def _expiring(supporter: Supporter, modules: Sequence[TrainingModule]) -> list[Expiring]:
    """The supporter's current trainings and check that will run out, one per thing."""
    items = []
    for module in modules:
        records = [r for r in supporter.training_records.all() if r.module_id == module.pk]
        if not records or any(record.expires_on is None for record in records):
            continue
        latest = max(records, key=lambda record: (record.expires_on, record.pk))
        assert latest.expires_on is not None
        items.append(
            Expiring(
                key=f"training:{latest.pk}",
                what=filled(gettext_lazy("the %(module)s training"), {"module": module.name}),
                expires_on=latest.expires_on,
                record=latest,
            )
        )
    checks = list(supporter.background_checks.all())
    if checks and checks[-1].status == CheckStatus.CLEARED and checks[-1].expires_on:
        items.append(
            Expiring(
                key=f"check:{checks[-1].pk}",
                what=gettext_lazy("the background check"),
                expires_on=checks[-1].expires_on,
                record=checks[-1],
            )
        )
    return items


def supporters_with_something_expired(now: dt.datetime) -> QuerySet[Supporter]:
    """Active supporters holding a training or check that ran out before today and was not
    renewed since: not every supporter who ever renewed one.

    A superset of those pause_on_expiry pauses (it also checks that a module is current and
    required, and a check the latest); the records are read by when they expire.
    """
    found = Q(pk__in=[])
    for today, programs in _programs_by_day(now).items():
        trainings = TrainingRecord.objects.filter(expires_on__lt=today).exclude(
            Exists(
                TrainingRecord.objects.filter(
                    Q(expires_on__gt=OuterRef("expires_on")) | Q(expires_on__isnull=True),
                    supporter=OuterRef("supporter"),
                    module=OuterRef("module"),
                )
            )
        )
        checks = BackgroundCheck.objects.filter(
            expires_on__lt=today, status=CheckStatus.CLEARED
        ).exclude(Exists(_recorded_after()))
        found |= Q(program__in=[program.pk for program in programs]) & (
            Q(pk__in=trainings.values("supporter_id")) | Q(pk__in=checks.values("supporter_id"))
        )
    return Supporter.objects.filter(found, status=SupporterStatus.ACTIVE).order_by("pk")


def _recorded_after() -> QuerySet[BackgroundCheck]:
    """The outer check's supporter's checks recorded after it (their order: recorded_at, pk)."""
    return BackgroundCheck.objects.filter(
        Q(recorded_at__gt=OuterRef("recorded_at"))
        | Q(recorded_at=OuterRef("recorded_at"), pk__gt=OuterRef("pk")),
        supporter=OuterRef("supporter"),
    )


def supporters_with_something_expiring(now: dt.datetime) -> QuerySet[Supporter]:
    """Active supporters holding a training or check that runs out between today and their
    program's lead from now, and has not had that lead's reminder.

    Only those records are read (an index on expiry and reminder serves it), not every
    supporter with an old record nor the ones already reminded. Renewed records that still run
    out soon match too; the handlers look at the latest of each.
    """
    found = Q(pk__in=[])
    for today, programs in _programs_by_day(now).items():
        leads: dict[int, list[int]] = {}
        for program in programs:
            leads.setdefault(program.expiry_reminder_days, []).append(program.pk)
        for lead, program_ids in leads.items():
            window = Q(expires_on__gte=today, expires_on__lte=today + dt.timedelta(days=lead))
            not_reminded = Q(reminded_days_before__isnull=True) | ~Q(reminded_days_before=lead)
            trainings = TrainingRecord.objects.filter(window, not_reminded).values("supporter_id")
            checks = BackgroundCheck.objects.filter(window, not_reminded).values("supporter_id")
            found |= Q(program__in=program_ids) & (Q(pk__in=trainings) | Q(pk__in=checks))
    return Supporter.objects.filter(found, status=SupporterStatus.ACTIVE).order_by("pk")


def _programs_by_day(now: dt.datetime) -> dict[dt.date, list[Program]]:
    """The programs by their own today (most share one)."""
    programs: dict[dt.date, list[Program]] = {}
    for program in Program.objects.only("pk", "expiry_reminder_days", "time_zone"):
        programs.setdefault(today_in(program.time_zone, now), []).append(program)
    return programs


def _expiring_of(supporter_id: int) -> tuple[Supporter, list[Expiring]] | None:
    return _expiring_of_many([supporter_id]).get(supporter_id)


def _expiring_of_many(
    supporter_ids: Sequence[int],
) -> dict[int, tuple[Supporter, list[Expiring]]]:
    """The active ones among these supporters, each with what of theirs will run out; in
    four queries however many."""
    supporters = (
        Supporter.objects.filter(status=SupporterStatus.ACTIVE)
        .select_related("program", "user")
        .defer("about", "status_reason")  # encrypted, and not needed: never decrypted here
        .prefetch_related("training_records", "background_checks")
        .in_bulk(supporter_ids)
    )
    modules: dict[int, list[TrainingModule]] = {}
    required = TrainingModule.objects.current().filter(
        program_id__in={supporter.program_id for supporter in supporters.values()},
        is_required=True,
    )
    for module in required:
        modules.setdefault(module.program_id, []).append(module)
    return {
        supporter_id: (supporter, _expiring(supporter, modules.get(supporter.program_id, [])))
        for supporter_id in supporter_ids
        if (supporter := supporters.get(supporter_id)) is not None
    }


def pause_on_expiry(supporter_id: int, now: dt.datetime) -> int:
    """Pause an active supporter whose training or check has expired; tell them and coordinators.

    Returns 1 if they were paused. Safe to run twice: a paused supporter is left alone.
    """
    found = _expiring_of(supporter_id)
    if found is None:
        return 0
    supporter, items = found
    expired = _expired(supporter, items, now)
    if not expired:
        return 0
    return _pause_for_expiry(supporter, expired)


def pause_on_expiry_batch(supporter_ids: Sequence[int], now: dt.datetime) -> int:
    """pause_on_expiry for many supporters at once: four queries to read them, then each
    pause saved (so whatever watches supporters sees it) and the audit events and messages
    in bulk."""
    to_pause = [
        (supporter, expired)
        for supporter, items in _expiring_of_many(supporter_ids).values()
        if (expired := _expired(supporter, items, now))
    ]
    locked = Supporter.objects.select_for_update().in_bulk(
        [supporter.pk for supporter, _expired_items in to_pause]
    )
    paused = [
        (locked[supporter.pk], supporter, expired)
        for supporter, expired in to_pause
        if locked[supporter.pk].status == SupporterStatus.ACTIVE
    ]
    for row, _supporter, _expired_items in paused:
        _mark_paused(row)
    record_events(audit_event(**_pause_event(row, expired)) for row, _s, expired in paused)
    coordinators = coordinators_of({supporter.program_id for _row, supporter, _e in paused})
    notify_all(
        notice
        for _row, supporter, expired in paused
        for notice in _pause_notices(supporter, expired, coordinators[supporter.program_id])
    )
    return len(paused)


def _expired(supporter: Supporter, items: Sequence[Expiring], now: dt.datetime) -> list[Expiring]:
    today = supporter.program.calendar.today(now)
    return [item for item in items if item.expires_on < today]


def remind_before_expiry(supporter_id: int, now: dt.datetime) -> int:
    """Remind a supporter and their coordinators of what expires within the program's lead.

    Returns how many reminders were queued; none once something has expired, as the supporter
    is paused instead. Each record reminded keeps the lead it was reminded at, so it is
    reminded once (again only if the lead changes); a renewal is a new record. Safe to run
    twice: reminders carry idempotency keys too.
    """
    found = _expiring_of(supporter_id)
    if found is None:
        return 0
    supporter, items = found
    due = _reminders_due(supporter, items, now)
    if due:
        coordinators = list(members_of(supporter.program, [Role.COORDINATOR]))
        with transaction.atomic():
            notify_all(_reminder_notices(supporter, due, coordinators))
            _mark_reminded([(supporter, due)])
    return len(due)


def remind_before_expiry_batch(supporter_ids: Sequence[int], now: dt.datetime) -> int:
    """remind_before_expiry for many supporters at once: four queries to read them, then the
    reminders in bulk."""
    due = [
        (supporter, reminders)
        for supporter, items in _expiring_of_many(supporter_ids).values()
        if (reminders := _reminders_due(supporter, items, now))
    ]
    coordinators = coordinators_of({supporter.program_id for supporter, _reminders in due})
    notify_all(
        notice
        for supporter, reminders in due
        for notice in _reminder_notices(supporter, reminders, coordinators[supporter.program_id])
    )
    _mark_reminded(due)
    return sum(len(reminders) for _supporter, reminders in due)


def _mark_reminded(reminded: Iterable[tuple[Supporter, Sequence[Expiring]]]) -> None:
    """Record on each record reminded its program's lead: in one update a kind and lead."""
    records: dict[tuple[bool, int], list[int]] = {}
    for supporter, items in reminded:
        for item in items:
            is_training = isinstance(item.record, TrainingRecord)
            key = (is_training, supporter.program.expiry_reminder_days)
            records.setdefault(key, []).append(item.record.pk)
    for (is_training, lead), ids in records.items():
        model = TrainingRecord if is_training else BackgroundCheck
        model.objects.filter(pk__in=ids).update(reminded_days_before=lead)


def _reminders_due(
    supporter: Supporter, items: Sequence[Expiring], now: dt.datetime
) -> list[Expiring]:
    """What expires within the program's lead and has not had that lead's reminder; nothing
    once something has expired."""
    today = supporter.program.calendar.today(now)
    if any(item.expires_on < today for item in items):
        return []
    lead = supporter.program.expiry_reminder_days
    return [
        item
        for item in items
        if item.expires_on <= today + dt.timedelta(days=lead)
        and item.record.reminded_days_before != lead
    ]


def _reminder_notices(
    supporter: Supporter, items: Sequence[Expiring], coordinators: Sequence[User]
) -> list[Notice]:
    lead = supporter.program.expiry_reminder_days
    notices = []
    for item in items:
        context = {
            "name": supporter.display_name,
            "what": item.what,
            "What": capitalized(item.what),
            "day": item.expires_on,
        }
        notices += [
            Notice(
                kind=messages.EXPIRY_REMINDER,
                recipients=[supporter.user],
                context=context,
                idempotency_key=("supporters.expiry.reminder", item.key, lead, "supporter"),
                program=supporter.program,
            ),
            notice_to_coordinators(
                supporter.program,
                coordinators=coordinators,
                kind=messages.EXPIRY_REMINDER_TO_COORDINATORS,
                context=context,
                key=("supporters.expiry.reminder", item.key, lead),
            ),
        ]
    return notices


@transaction.atomic
def _pause_for_expiry(supporter: Supporter, expired: Sequence[Expiring]) -> int:
    locked = Supporter.objects.select_for_update().get(pk=supporter.pk)
    if locked.status != SupporterStatus.ACTIVE:
        return 0
    _mark_paused(locked)
    record_event(**_pause_event(locked, expired))
    coordinators = list(members_of(supporter.program, [Role.COORDINATOR]))
    notify_all(_pause_notices(supporter, expired, coordinators))
    return 1


def _mark_paused(supporter: Supporter) -> None:
    supporter.status = SupporterStatus.PAUSED
    supporter.pause_reason = PauseReason.EXPIRED
    supporter.save(update_fields=["status", "pause_reason"])


def _pause_event(supporter: Supporter, expired: Sequence[Expiring]) -> dict[str, Any]:
    return {
        "actor": None,
        "action": "supporters.supporter.paused",
        "target": supporter,
        "data": {"expired": [item.key for item in expired]},
    }


def _pause_notices(
    supporter: Supporter, expired: Sequence[Expiring], coordinators: Sequence[User]
) -> list[Notice]:
    what = joined(gettext_lazy(", "), [item.what for item in expired])
    keys = "+".join(item.key for item in expired)
    context = {"name": supporter.display_name, "what": what}
    return [
        Notice(
            kind=messages.EXPIRY_PAUSED,
            recipients=[supporter.user],
            context=context,
            idempotency_key=("supporters.expiry.paused", keys, "supporter"),
            program=supporter.program,
        ),
        notice_to_coordinators(
            supporter.program,
            coordinators=coordinators,
            kind=messages.EXPIRY_PAUSED_TO_COORDINATORS,
            context=context,
            key=("supporters.expiry.paused", keys),
        ),
    ]
