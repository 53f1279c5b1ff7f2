"""Retention: what a program keeps past use, for how long, and the daily pass that de-identifies
or deletes what is past its time, unless a legal hold keeps it.

Requests, matches and applications are de-identified, not deleted: the row stays with its
program, dates, state and the categories reports count by, so the dashboard and the funder
reports count the same before and after; only the personal data goes (names, contact details,
the person's words, notes). Messages and audit events are deleted.

When each kind is past use, counted from:
- a closed or withdrawn request: its last change (its closing), once every request of the person
  is closed and none of their matches closed within the period;
- a closed match: its closing;
- an application never accepted: its submission;
- a message sent or given up on: its creation;
- an audit event: when it happened.

A legal hold on a person keeps their requests, their matches and the audit events about them; a
hold on a match keeps the match, its request (the person's details) and the audit events about
them; the events of a hold stay while it is in force. Messages and applications are not held:
a message is tied to an account, not to a person asking for support, and an applicant is not a
person asking for support.

Each item is handled in its own transaction: one that fails is logged by its id and kind only,
and the others go on.
"""

import datetime as dt
import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from alongside.core.audit import delete_events, record_event
from alongside.core.models import AuditEvent
from alongside.intake.models import RequestStatus, SupportRequest
from alongside.intake.services import deidentify_request
from alongside.matches.models import OPEN_MATCH_STATUSES, Match, MatchStatus
from alongside.matches.services.closure import deidentify_match
from alongside.notifications.models import MessageStatus, OutboxMessage
from alongside.notifications.services import delete_message
from alongside.privacy.models import Deidentified, LegalHold, RetentionKind, RetentionPolicy
from alongside.programs.models import Program
from alongside.supporters.models import Application
from alongside.supporters.services.applications import deidentify_application

logger = logging.getLogger(__name__)

CLOSED_REQUEST_STATUSES = (RequestStatus.CLOSED, RequestStatus.WITHDRAWN)
MESSAGES_DONE_WITH = (MessageStatus.SENT, MessageStatus.DEAD)
# Audit events go this many at a time, with one event saying how many went: an event for each
# one deleted would keep the log as long as ever.
AUDIT_EVENTS_AT_ONCE = 500
DEIDENTIFIED = (RetentionKind.REQUESTS, RetentionKind.MATCHES, RetentionKind.APPLICATIONS)


@dataclass(frozen=True)
class Due:
    """What of one program is past its time on a day, by kind: the ids of the rows."""

    program_id: int
    today: dt.date
    items: Mapping[RetentionKind, list[int]]

    def counts(self) -> dict[RetentionKind, int]:
        return {kind: len(self.items.get(kind, [])) for kind in RetentionKind}


@dataclass
class Outcome:
    """What one pass did to a program, by kind; the ids of the items that failed."""

    done: dict[RetentionKind, int] = field(default_factory=lambda: dict.fromkeys(RetentionKind, 0))
    failed: dict[RetentionKind, list[int]] = field(
        default_factory=lambda: {kind: [] for kind in RetentionKind}
    )

    @property
    def total(self) -> int:
        return sum(self.done.values())


def policy_of(program: Program) -> RetentionPolicy:
    """The program's retention, or the defaults (not saved) when it set none."""
    found = RetentionPolicy.objects.filter(program=program).first()
    return found if found is not None else RetentionPolicy(program=program)


def months_before(day: dt.date, months: int) -> dt.datetime:
    """The start (UTC) of the same day `months` earlier; the last day of a shorter month."""
    month_index = day.year * 12 + day.month - 1 - months
    year, month = divmod(month_index, 12)
    month += 1
    next_month = dt.date(year + month // 12, month % 12 + 1, 1)
    last_day = (next_month - dt.timedelta(days=1)).day
    earlier = dt.date(year, month, min(day.day, last_day))
    return dt.datetime.combine(earlier, dt.time.min, tzinfo=dt.UTC)


def _due_rows(program: Program, today: dt.date) -> dict[RetentionKind, QuerySet[Any]]:
    """The rows of `program` past their time on `today`, by kind, leaving out what a legal
    hold keeps, what is still open and what was already de-identified."""
    policy = policy_of(program)
    held = _held(program)
    cutoff = {kind: months_before(today, policy.months(kind)) for kind in RetentionKind}
    return {
        RetentionKind.REQUESTS: _requests_due(program, cutoff[RetentionKind.REQUESTS], held),
        RetentionKind.MATCHES: _matches_due(program, cutoff[RetentionKind.MATCHES], held),
        RetentionKind.APPLICATIONS: _applications_due(program, cutoff[RetentionKind.APPLICATIONS]),
        RetentionKind.MESSAGES: _messages_due(program, cutoff[RetentionKind.MESSAGES]),
        RetentionKind.AUDIT_EVENTS: _events_due(program, cutoff[RetentionKind.AUDIT_EVENTS], held),
    }


def due(program: Program, today: dt.date) -> Due:
    """What of `program` is past its time on `today`, by kind (the ids, for the pass)."""
    return Due(
        program_id=program.pk,
        today=today,
        items={
            kind: list(rows.values_list("pk", flat=True))
            for kind, rows in _due_rows(program, today).items()
        },
    )


def due_counts(program: Program, today: dt.date) -> dict[RetentionKind, int]:
    """How many of each kind `due` would list, counted by the database (a query a kind): the
    dry-run page's figures, however many rows a province's program holds."""
    return {kind: rows.count() for kind, rows in _due_rows(program, today).items()}


@dataclass(frozen=True)
class _Held:
    peer_ids: list[int]
    match_ids: list[int]  # the matches held themselves, and every match of a held person
    request_ids: list[int]  # the requests of held people and of held matches
    hold_ids: list[int]  # the holds themselves: their events stay while they are in force


def _held(program: Program) -> _Held:
    holds = LegalHold.objects.in_force().filter(program=program)
    peer_ids = [pk for pk in holds.values_list("peer_id", flat=True) if pk is not None]
    match_ids = {pk for pk in holds.values_list("match_id", flat=True) if pk is not None}
    match_ids.update(
        Match.objects.filter(request__peer_id__in=peer_ids).values_list("pk", flat=True)
    )
    request_ids = set(
        SupportRequest.objects.filter(peer_id__in=peer_ids).values_list("pk", flat=True)
    )
    request_ids.update(Match.objects.filter(pk__in=match_ids).values_list("request_id", flat=True))
    return _Held(
        peer_ids=peer_ids,
        match_ids=sorted(match_ids),
        request_ids=sorted(request_ids),
        hold_ids=list(holds.values_list("pk", flat=True)),
    )


def _done(kind: RetentionKind) -> "QuerySet[Deidentified, int]":
    return Deidentified.objects.filter(kind=kind).values_list("object_id", flat=True)


def _requests_due(program: Program, cutoff: dt.datetime, held: _Held) -> QuerySet[SupportRequest]:
    still_in_use = SupportRequest.objects.filter(
        ~Q(status__in=CLOSED_REQUEST_STATUSES) | Q(updated_at__gte=cutoff)
    ).values("peer_id")
    recent_matches = Match.objects.filter(
        Q(status__in=OPEN_MATCH_STATUSES) | Q(closed_at__gte=cutoff)
    ).values("request__peer_id")
    return (
        SupportRequest.objects.filter(
            program=program, status__in=CLOSED_REQUEST_STATUSES, updated_at__lt=cutoff
        )
        .exclude(peer_id__in=still_in_use)
        .exclude(peer_id__in=recent_matches)
        .exclude(pk__in=held.request_ids)
        .exclude(pk__in=_done(RetentionKind.REQUESTS))
        .order_by("pk")
    )


def _matches_due(program: Program, cutoff: dt.datetime, held: _Held) -> QuerySet[Match]:
    return (
        Match.objects.filter(program=program, status=MatchStatus.CLOSED, closed_at__lt=cutoff)
        .exclude(pk__in=held.match_ids)
        .exclude(pk__in=_done(RetentionKind.MATCHES))
        .order_by("pk")
    )


def _applications_due(program: Program, cutoff: dt.datetime) -> QuerySet[Application]:
    return (
        Application.objects.filter(program=program, supporter__isnull=True, submitted_at__lt=cutoff)
        .exclude(pk__in=_done(RetentionKind.APPLICATIONS))
        .order_by("pk")
    )


def _messages_due(program: Program, cutoff: dt.datetime) -> QuerySet[OutboxMessage]:
    return OutboxMessage.objects.filter(
        program=program, status__in=MESSAGES_DONE_WITH, created_at__lt=cutoff
    ).order_by("pk")


def _events_due(program: Program, cutoff: dt.datetime, held: _Held) -> QuerySet[AuditEvent]:
    kept = (
        Q(target_type="intake.peer", target_id__in=[str(pk) for pk in held.peer_ids])
        | Q(target_type="intake.supportrequest", target_id__in=[str(pk) for pk in held.request_ids])
        | Q(target_type="matches.match", target_id__in=[str(pk) for pk in held.match_ids])
        | Q(target_type="privacy.legalhold", target_id__in=[str(pk) for pk in held.hold_ids])
    )
    return (
        AuditEvent.objects.filter(program=program, occurred_at__lt=cutoff)
        .exclude(kept)
        .order_by("pk")
    )


def apply(program: Program, today: dt.date, *, dry_run: bool = False) -> Outcome:
    """De-identify or delete what of `program` is past its time on `today` (nothing with
    `dry_run`: it counts what would go). Each item in its own transaction, with one audit event
    (its kind and the months kept; no personal data); one that fails is logged by id only."""
    outcome = Outcome()
    if dry_run:
        outcome.done.update(due_counts(program, today))
        return outcome
    found = due(program, today)
    policy = policy_of(program)
    for kind in DEIDENTIFIED:
        for item_id in found.items[kind]:
            _one(kind, item_id, program, policy, outcome)
    for message_id in found.items[RetentionKind.MESSAGES]:
        _one(RetentionKind.MESSAGES, message_id, program, policy, outcome)
    _delete_events(found.items[RetentionKind.AUDIT_EVENTS], program, policy, outcome)
    return outcome


def _one(
    kind: RetentionKind, item_id: int, program: Program, policy: RetentionPolicy, outcome: Outcome
) -> None:
    try:
        with transaction.atomic():
            if _handle(kind, item_id, program, policy):
                outcome.done[kind] += 1
    except Exception as error:  # one item's failure is logged, never stops the others
        logger.warning(
            "Retention of %s #%s in program #%s failed: %s",
            kind.value,
            item_id,
            program.pk,
            type(error).__name__,
        )
        outcome.failed[kind].append(item_id)


def _handle(kind: RetentionKind, item_id: int, program: Program, policy: RetentionPolicy) -> bool:
    """Handle one item; False when another pass got there first."""
    data = {"kind": kind.value, "months": policy.months(kind)}
    if kind == RetentionKind.MESSAGES:
        message = OutboxMessage.objects.only("pk", "program_id").get(pk=item_id)
        if not delete_message(message_id=item_id):
            return False
        record_event(actor=None, action="privacy.retention.deleted", target=message, data=data)
        return True
    _, created = Deidentified.objects.get_or_create(
        kind=kind, object_id=item_id, defaults={"program": program, "at": timezone.now()}
    )
    if not created:
        return False
    target = _deidentify(kind, item_id)
    record_event(actor=None, action="privacy.retention.deidentified", target=target, data=data)
    return True


def _deidentify(kind: RetentionKind, item_id: int) -> SupportRequest | Match | Application:
    if kind == RetentionKind.REQUESTS:
        support_request = SupportRequest.objects.get(pk=item_id)
        deidentify_request(support_request=support_request)
        return support_request
    if kind == RetentionKind.MATCHES:
        match = Match.objects.get(pk=item_id)
        deidentify_match(match=match)
        return match
    application = Application.objects.get(pk=item_id)
    deidentify_application(application=application)
    return application


def _delete_events(
    event_ids: Iterable[int], program: Program, policy: RetentionPolicy, outcome: Outcome
) -> None:
    ids = list(event_ids)
    for start in range(0, len(ids), AUDIT_EVENTS_AT_ONCE):
        batch = ids[start : start + AUDIT_EVENTS_AT_ONCE]
        try:
            with transaction.atomic():
                deleted = delete_events(batch)
                record_event(
                    actor=None,
                    action="privacy.retention.deleted",
                    target=program,
                    data={
                        "kind": RetentionKind.AUDIT_EVENTS.value,
                        "months": policy.audit_events_months,
                        "count": deleted,
                    },
                )
        except Exception as error:  # the next batch goes on
            logger.warning(
                "Retention of %s audit events from #%s in program #%s failed: %s",
                len(batch),
                batch[0],
                program.pk,
                type(error).__name__,
            )
            outcome.failed[RetentionKind.AUDIT_EVENTS].extend(batch)
        else:
            outcome.done[RetentionKind.AUDIT_EVENTS] += deleted
