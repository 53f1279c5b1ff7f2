"""Offboarding: a break, alumni or withdrawn, with a reason, and back from a break.

The open matches of a supporter who leaves are handed over first, by matches (above
supporters): matches.services.offboarding.offboard_supporter.
"""

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from alongside.accounts.models import User
from alongside.core.audit import audit_event, record_event, record_events
from alongside.core.calendar import today_in
from alongside.core.errors import DomainError
from alongside.notifications.notify import notify_all
from alongside.notifications.team import coordinators_of, notice_to_coordinators, tell_coordinators
from alongside.programs.models import Program
from alongside.supporters import messages, steps
from alongside.supporters.models import (
    CHOSEN_WITHDRAWAL_REASONS,
    PauseReason,
    Supporter,
    SupporterStatus,
    WithdrawalReason,
)
from alongside.supporters.queries import readiness, readiness_of
from alongside.supporters.services.profile import is_staff_of

LEAVING_STATUSES = (SupporterStatus.ON_BREAK, SupporterStatus.ALUMNI, SupporterStatus.WITHDRAWN)


def lock_to_leave(
    *,
    supporter: Supporter,
    by: User,
    status: SupporterStatus | str,
    reason: str,
    away_until: dt.date | None = None,
    withdrawal_reason: WithdrawalReason | str = "",
) -> Supporter:
    """`supporter`, locked until the transaction ends, once `by` may move them on a break, to
    alumni or withdrawn for `reason` (withdrawn: and its main `withdrawal_reason`); a
    DomainError that says why not otherwise.

    The first half of offboarding, inside its transaction: matches.services.offboarding hands
    over their open matches next, then `leave` records the new status.
    """
    if not is_staff_of(by, supporter):
        raise DomainError(_("Only the program's coordinators can change a supporter's status."))
    supporter = Supporter.objects.select_for_update().select_related("program").get(pk=supporter.pk)
    _ensure_can_leave(supporter, status=status, reason=reason, away_until=away_until)
    _ensure_withdrawal_reason(status, withdrawal_reason)
    return supporter


@transaction.atomic
def leave(
    *,
    supporter: Supporter,
    by: User,
    status: SupporterStatus | str,
    reason: str,
    away_until: dt.date | None = None,
    withdrawal_reason: WithdrawalReason | str = "",
    what_became_of_their_work: Mapping[str, int] | None = None,
) -> Supporter:
    """Move a supporter on a break, to alumni or withdrawn, with the reason (withdrawn: and
    the main one, chosen from `WithdrawalReason`, for the reports to count).

    `what_became_of_their_work` goes in the audit event (matches: how many of their matches
    were handed over, how many returned to the waiting list). Offboard a supporter through
    matches.services.offboarding, which hands over their open matches first.
    """
    supporter = lock_to_leave(
        supporter=supporter,
        by=by,
        status=status,
        reason=reason,
        away_until=away_until,
        withdrawal_reason=withdrawal_reason,
    )
    withdrawn = status == SupporterStatus.WITHDRAWN
    supporter.status = status
    supporter.status_reason = reason.strip()
    supporter.withdrawal_reason = str(withdrawal_reason) if withdrawn else ""
    supporter.status_changed_at = timezone.now()
    supporter.away_until = away_until if status == SupporterStatus.ON_BREAK else None
    supporter.pause_reason = ""
    # Off the pipeline, if they were on it: they wait at no step (supporters/steps.py).
    left_their_step = steps.place_at(supporter, None, supporter.status_changed_at)
    supporter.save(
        update_fields=[
            "status",
            "status_reason",
            "withdrawal_reason",
            "status_changed_at",
            "away_until",
            "pause_reason",
            *left_their_step,
        ]
    )
    data = {"status": str(status), **(what_became_of_their_work or {})}
    record_event(
        actor=by,
        action="supporters.supporter.offboarded",
        target=supporter,
        data=data | ({"withdrawal_reason": str(withdrawal_reason)} if withdrawn else {}),
    )
    return supporter


def _ensure_can_leave(
    supporter: Supporter, *, status: SupporterStatus | str, reason: str, away_until: dt.date | None
) -> None:
    if status not in LEAVING_STATUSES:
        raise DomainError(_("Choose on a break, alumni or withdrawn."))
    if supporter.status == status:
        raise DomainError(
            _("%(name)s is already %(status)s.")
            % {"name": supporter.display_name, "status": SupporterStatus(status).label.lower()}
        )
    if not reason.strip():
        raise DomainError(_("Please say why, for the record."))
    today = supporter.program.calendar.today()
    if status == SupporterStatus.ON_BREAK and (away_until is None or away_until <= today):
        raise DomainError(_("Give the day the break ends; it must be after today."))


def _ensure_withdrawal_reason(
    status: SupporterStatus | str, withdrawal_reason: WithdrawalReason | str
) -> None:
    if status == SupporterStatus.WITHDRAWN and withdrawal_reason not in CHOSEN_WITHDRAWAL_REASONS:
        raise DomainError(_("Choose the main reason they withdrew."))


@transaction.atomic
def return_from_break(*, supporter: Supporter, by: User) -> Supporter:
    """Bring a supporter back from a break, through the readiness gate.

    Active again when everything is current; otherwise paused until what is missing is done
    (recording it makes them active, as after an expiry).
    """
    if not is_staff_of(by, supporter):
        raise DomainError(_("Only the program's coordinators can change a supporter's status."))
    supporter = Supporter.objects.select_for_update().select_related("program").get(pk=supporter.pk)
    if supporter.status != SupporterStatus.ON_BREAK:
        raise DomainError(_("%(name)s is not on a break.") % {"name": supporter.display_name})
    return _bring_back(supporter, by=by)


def _bring_back(supporter: Supporter, *, by: User | None) -> Supporter:
    _mark_back(supporter, is_ready=readiness(supporter).is_ready)
    record_event(**_return_event(supporter, by=by))
    return supporter


def _mark_back(supporter: Supporter, *, is_ready: bool) -> None:
    supporter.status = SupporterStatus.ACTIVE if is_ready else SupporterStatus.PAUSED
    supporter.pause_reason = "" if is_ready else PauseReason.NOT_READY
    supporter.away_until = None
    supporter.status_reason = ""
    supporter.status_changed_at = timezone.now()
    supporter.save(
        update_fields=["status", "pause_reason", "away_until", "status_reason", "status_changed_at"]
    )


def _return_event(supporter: Supporter, *, by: User | None) -> dict[str, Any]:
    return {
        "actor": by,
        "action": "supporters.supporter.returned",
        "target": supporter,
        "data": {"status": supporter.status},
    }


def breaks_that_ended(now: dt.datetime) -> QuerySet[Supporter]:
    """Supporters on a break that ended before today, their program's today."""
    ended = Q(pk__in=[])
    for zone in Program.objects.values_list("time_zone", flat=True).distinct():
        ended |= Q(program__time_zone=zone, away_until__lt=today_in(zone, now))
    return Supporter.objects.filter(ended, status=SupporterStatus.ON_BREAK).order_by(
        "away_until", "pk"
    )


@transaction.atomic
def return_from_break_that_ended(supporter_id: int, now: dt.datetime) -> int:
    """Brings back one supporter whose break ended before today; tells their coordinators.

    Returns 1 if they came back. Claimed under a row lock and checked again: safe when two
    workers run this at once.
    """
    supporter = (
        breaks_that_ended(now)
        .select_for_update()
        .select_related("program", "user")
        .filter(pk=supporter_id)
        .first()
    )
    if supporter is None:
        return 0
    supporter = _bring_back(supporter, by=None)
    tell_coordinators(supporter.program, **_return_message(supporter, now))
    return 1


def return_from_breaks_that_ended_batch(supporter_ids: Sequence[int], now: dt.datetime) -> int:
    """return_from_break_that_ended for many supporters at once: one locking read and the
    readiness of all in a fixed number of queries; each return saved (so whatever watches
    supporters sees it), the audit events and coordinators' messages in bulk."""
    found = (
        breaks_that_ended(now)
        .select_for_update(of=("self",))
        .select_related("program", "user")
        .in_bulk(supporter_ids)
    )
    back = [found[pk] for pk in supporter_ids if pk in found]
    ready = readiness_of(back)
    for supporter in back:
        _mark_back(supporter, is_ready=ready[supporter.pk].is_ready)
    record_events(audit_event(**_return_event(supporter, by=None)) for supporter in back)
    coordinators = coordinators_of({supporter.program_id for supporter in back})
    notify_all(
        notice_to_coordinators(
            supporter.program,
            coordinators=coordinators[supporter.program_id],
            **_return_message(supporter, now),
        )
        for supporter in back
    )
    return len(back)


def _return_message(supporter: Supporter, now: dt.datetime) -> dict[str, Any]:
    return {
        "kind": messages.SUPPORTER_RETURNED,
        "context": {
            "name": supporter.display_name,
            "ready": supporter.status == SupporterStatus.ACTIVE,
        },
        "key": (
            "supporters.supporter.returned",
            supporter.pk,
            supporter.program.calendar.today(now).isoformat(),
        ),
    }
