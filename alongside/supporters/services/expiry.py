"""Expiry: reminders before a training or check runs out, and a pause once it has."""

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from alongside.core.audit import record_event
from alongside.notifications.models import Channel
from alongside.notifications.services import queue_message
from alongside.supporters.models import (
    CheckStatus,
    PauseReason,
    Supporter,
    SupporterStatus,
    TrainingModule,
)
from alongside.supporters.services.notices import tell_coordinators


@dataclass(frozen=True)
class Expiring:
    key: str  # which record, for idempotency keys
    what: str  # for people: "the Boundaries training"
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
                what=_("the %(module)s training") % {"module": module.name},
                expires_on=latest.expires_on,
            )
        )
    checks = list(supporter.background_checks.all())
    if checks and checks[-1].status == CheckStatus.CLEARED and checks[-1].expires_on:
        items.append(
            Expiring(
                key=f"check:{checks[-1].pk}",
                what=_("the background check"),
                expires_on=checks[-1].expires_on,
            )
        )
    return items


@dataclass(frozen=True)
class ExpiryRun:
    reminded: int
    paused: int


def remind_and_pause_on_expiry(*, today: dt.date | None = None) -> ExpiryRun:
    """Remind supporters and coordinators of what will expire; pause supporters whose has.

    Safe to run twice: reminders carry idempotency keys, and a paused supporter is left alone.
    """
    today = today or timezone.localdate()
    reminded = paused = 0
    modules_by_program: dict[int, list[TrainingModule]] = {}
    for module in TrainingModule.objects.current().filter(is_required=True):
        modules_by_program.setdefault(module.program_id, []).append(module)
    supporters = (
        Supporter.objects.filter(status=SupporterStatus.ACTIVE)
        .select_related("program", "user")
        .prefetch_related("training_records", "background_checks")
    )
    for supporter in supporters:
        items = _expiring(supporter, modules_by_program.get(supporter.program_id, []))
        expired = [item for item in items if item.expires_on < today]
        if expired:
            _pause_for_expiry(supporter, expired)
            paused += 1
            continue
        lead = supporter.program.expiry_reminder_days
        for item in items:
            if item.expires_on <= today + dt.timedelta(days=lead):
                _remind(supporter, item, lead)
                reminded += 1
    return ExpiryRun(reminded=reminded, paused=paused)


def _remind(supporter: Supporter, item: Expiring, lead: int) -> None:
    day = formats.date_format(item.expires_on, "j F Y")
    with transaction.atomic():
        queue_message(
            channel=Channel.EMAIL,
            to_address=supporter.user.email,
            subject=_("Time to renew: %(what)s") % {"what": item.what},
            body=_(
                "Hello %(name)s,\n\n%(what)s expires on %(day)s. Please renew it before then, "
                "so you can keep being matched.\n"
            )
            % {"name": supporter.display_name, "what": item.what.capitalize(), "day": day},
            idempotency_key=f"supporters.expiry.reminder:{item.key}:{lead}:supporter",
            program=supporter.program,
            recipient=supporter.user,
        )
        tell_coordinators(
            supporter.program,
            subject=_("A supporter's training or check expires soon"),
            body=_("%(what)s of %(name)s expires on %(day)s.")
            % {"what": item.what.capitalize(), "name": supporter.display_name, "day": day},
            key=f"supporters.expiry.reminder:{item.key}:{lead}",
        )


@transaction.atomic
def _pause_for_expiry(supporter: Supporter, expired: Sequence[Expiring]) -> None:
    locked = Supporter.objects.select_for_update().get(pk=supporter.pk)
    if locked.status != SupporterStatus.ACTIVE:
        return
    locked.status = SupporterStatus.PAUSED
    locked.pause_reason = PauseReason.EXPIRED
    locked.save(update_fields=["status", "pause_reason"])
    what = _(", ").join(item.what for item in expired)
    record_event(
        actor=None,
        action="supporters.supporter.paused",
        target=locked,
        data={"expired": [item.key for item in expired]},
    )
    keys = "+".join(item.key for item in expired)
    queue_message(
        channel=Channel.EMAIL,
        to_address=supporter.user.email,
        subject=_("You are paused from new matches"),
        body=_(
            "Hello %(name)s,\n\n%(what)s has expired, so we have paused new matches for now. "
            "Your current matches go on. Renew it and you will be ready again.\n"
        )
        % {"name": supporter.display_name, "what": what},
        idempotency_key=f"supporters.expiry.paused:{keys}:supporter",
        program=supporter.program,
        recipient=supporter.user,
    )
    tell_coordinators(
        supporter.program,
        subject=_("A supporter was paused: something expired"),
        body=_("%(name)s is paused from new matches: %(what)s expired.")
        % {"name": supporter.display_name, "what": what},
        key=f"supporters.expiry.paused:{keys}",
    )
