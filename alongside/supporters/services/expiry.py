"""Expiry: reminders before a training or check runs out, and a pause once it has."""

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext_lazy
from django_stubs_ext import StrOrPromise

from alongside.core.audit import record_event
from alongside.core.calendar import today_in
from alongside.core.lazy_text import capitalized, filled, joined
from alongside.notifications.notify import notify
from alongside.notifications.team import tell_coordinators
from alongside.programs.models import Program, TrainingModule
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
            )
        )
    checks = list(supporter.background_checks.all())
    if checks and checks[-1].status == CheckStatus.CLEARED and checks[-1].expires_on:
        items.append(
            Expiring(
                key=f"check:{checks[-1].pk}",
                what=gettext_lazy("the background check"),
                expires_on=checks[-1].expires_on,
            )
        )
    return items


def _with_records_expiring(now: dt.datetime, *, within: Callable[[Program], int]) -> Q:
    """Supporters holding a training or check that expires by today plus `within` days.

    Old records that were renewed match too; the handlers look at the latest of each.
    """
    found = Q(pk__in=[])
    for program in Program.objects.only("pk", "expiry_reminder_days", "time_zone"):
        horizon = today_in(program.time_zone, now) + dt.timedelta(days=within(program))
        trainings = TrainingRecord.objects.filter(supporter=OuterRef("pk"), expires_on__lte=horizon)
        checks = BackgroundCheck.objects.filter(supporter=OuterRef("pk"), expires_on__lte=horizon)
        found |= Q(program=program) & (Exists(trainings) | Exists(checks))
    return found


def supporters_with_something_expired(now: dt.datetime) -> QuerySet[Supporter]:
    """Active supporters holding a training or check that ran out before today."""
    expired = _with_records_expiring(now, within=lambda program: -1)
    return Supporter.objects.filter(expired, status=SupporterStatus.ACTIVE).order_by("pk")


def supporters_with_something_expiring(now: dt.datetime) -> QuerySet[Supporter]:
    """Active supporters holding a training or check that runs out within their program's lead."""
    expiring = _with_records_expiring(now, within=lambda program: program.expiry_reminder_days)
    return Supporter.objects.filter(expiring, status=SupporterStatus.ACTIVE).order_by("pk")


def _expiring_of(supporter_id: int) -> tuple[Supporter, list[Expiring]] | None:
    supporter = (
        Supporter.objects.filter(pk=supporter_id, status=SupporterStatus.ACTIVE)
        .select_related("program", "user")
        .prefetch_related("training_records", "background_checks")
        .first()
    )
    if supporter is None:
        return None
    modules = TrainingModule.objects.current().filter(
        program_id=supporter.program_id, is_required=True
    )
    return supporter, _expiring(supporter, list(modules))


def pause_on_expiry(supporter_id: int, now: dt.datetime) -> int:
    """Pause an active supporter whose training or check has expired; tell them and coordinators.

    Returns 1 if they were paused. Safe to run twice: a paused supporter is left alone.
    """
    found = _expiring_of(supporter_id)
    if found is None:
        return 0
    supporter, items = found
    today = supporter.program.calendar.today(now)
    expired = [item for item in items if item.expires_on < today]
    if not expired:
        return 0
    return _pause_for_expiry(supporter, expired)


def remind_before_expiry(supporter_id: int, now: dt.datetime) -> int:
    """Remind a supporter and their coordinators of what expires within the program's lead.

    Returns how many reminders were queued; none once something has expired, as the supporter
    is paused instead. Safe to run twice: reminders carry idempotency keys.
    """
    found = _expiring_of(supporter_id)
    if found is None:
        return 0
    supporter, items = found
    today = supporter.program.calendar.today(now)
    if any(item.expires_on < today for item in items):
        return 0
    lead = supporter.program.expiry_reminder_days
    reminded = 0
    for item in items:
        if item.expires_on <= today + dt.timedelta(days=lead):
            _remind(supporter, item, lead)
            reminded += 1
    return reminded


def _remind(supporter: Supporter, item: Expiring, lead: int) -> None:
    context = {
        "name": supporter.display_name,
        "what": item.what,
        "What": capitalized(item.what),
        "day": item.expires_on,
    }
    with transaction.atomic():
        notify(
            kind=messages.EXPIRY_REMINDER,
            recipients=[supporter.user],
            context=context,
            idempotency_key=("supporters.expiry.reminder", item.key, lead, "supporter"),
            program=supporter.program,
        )
        tell_coordinators(
            supporter.program,
            kind=messages.EXPIRY_REMINDER_TO_COORDINATORS,
            context=context,
            key=("supporters.expiry.reminder", item.key, lead),
        )


@transaction.atomic
def _pause_for_expiry(supporter: Supporter, expired: Sequence[Expiring]) -> int:
    locked = Supporter.objects.select_for_update().get(pk=supporter.pk)
    if locked.status != SupporterStatus.ACTIVE:
        return 0
    locked.status = SupporterStatus.PAUSED
    locked.pause_reason = PauseReason.EXPIRED
    locked.save(update_fields=["status", "pause_reason"])
    what = joined(gettext_lazy(", "), [item.what for item in expired])
    record_event(
        actor=None,
        action="supporters.supporter.paused",
        target=locked,
        data={"expired": [item.key for item in expired]},
    )
    keys = "+".join(item.key for item in expired)
    context = {"name": supporter.display_name, "what": what}
    notify(
        kind=messages.EXPIRY_PAUSED,
        recipients=[supporter.user],
        context=context,
        idempotency_key=("supporters.expiry.paused", keys, "supporter"),
        program=supporter.program,
    )
    tell_coordinators(
        supporter.program,
        kind=messages.EXPIRY_PAUSED_TO_COORDINATORS,
        context=context,
        key=("supporters.expiry.paused", keys),
    )
    return 1
