"""When a supporter leaves, their open matches are handed over, never lost.

Each open match either passes to another supporter (a new match for the same request, checked
by `start_match` like any other) or its request goes back to the waiting list. The old match
closes with "the supporter became unavailable" and a history entry saying where it went.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from alongside.accounts.models import User
from alongside.core.audit import record_event
from alongside.core.errors import DomainError
from alongside.intake.models import RequestStatus, SupportRequest
from alongside.intake.queries import peer_contact
from alongside.matches import messages
from alongside.matches.models import (
    OPEN_MATCH_STATUSES,
    ClosureReason,
    Match,
    MatchEvent,
    MatchEventKind,
    MatchStatus,
    NoContactAlert,
)
from alongside.matches.services.closure import emit_closed_event
from alongside.matches.services.lifecycle import start_match
from alongside.notifications.models import Channel
from alongside.notifications.notify import CHANNEL, notify
from alongside.supporters.models import Supporter


def _end_for_hand_over(match: Match, *, note: str) -> Match:
    """Close an open match because its supporter is leaving; no closing check-in or survey."""
    match = (
        Match.objects.select_for_update()
        .select_related("supporter__user", "request__peer")
        .get(pk=match.pk)
    )
    if match.status not in OPEN_MATCH_STATUSES:
        raise DomainError(_("Match #%(number)s is already closed.") % {"number": match.pk})
    now = timezone.now()
    match.status = MatchStatus.CLOSED
    match.closed_at = now
    match.closure_reason = ClosureReason.SUPPORTER_UNAVAILABLE
    match.closure_note = note.strip()
    match.paused_at = None
    match.save(update_fields=["status", "closed_at", "closure_reason", "closure_note", "paused_at"])
    NoContactAlert.objects.filter(match=match, resolved_at__isnull=True).update(resolved_at=now)
    emit_closed_event(match)
    return match


def _reopen_request(match: Match) -> SupportRequest:
    """The match's request, waiting again and due within the program's promise of time."""
    support_request = (
        SupportRequest.objects.select_for_update()
        .select_related("program", "peer")
        .get(pk=match.request_id)
    )
    program = support_request.program
    support_request.status = RequestStatus.NEW
    support_request.due_at = program.calendar.due_at(timezone.now(), program.sla_business_days)
    support_request.save(update_fields=["status", "due_at", "updated_at"])
    return support_request


def _record_where_it_went(match: Match, *, by: User, detail: str) -> None:
    MatchEvent.objects.create(
        match=match, kind=MatchEventKind.CLOSED, by=by, at=timezone.now(), detail=detail
    )


@transaction.atomic
def hand_over_match(*, match: Match, to_supporter: Supporter, by: User, note: str = "") -> Match:
    """Pass an open match to another supporter; returns the new match.

    The new pair must pass every check of `start_match` (readiness, places, language...);
    when it does not, nothing changes. Queues the new supporter's introduction and tells the
    peer that their supporter is changing.
    """
    if to_supporter.pk == match.supporter_id:
        raise DomainError(_("Choose someone other than the supporter who is leaving."))
    old = _end_for_hand_over(match, note=note)
    new = start_match(
        support_request=_reopen_request(old),
        supporter=to_supporter,
        started_by=by,
        handed_over_from=old,
    )
    _record_where_it_went(old, by=by, detail=f"handed over to match #{new.pk}")
    record_event(
        actor=by,
        action="matches.match.handed_over",
        target=old,
        data={"to_match": new.pk, "to_supporter": to_supporter.pk},
    )
    return new


@transaction.atomic
def return_to_waiting_list(*, match: Match, by: User, note: str = "") -> SupportRequest:
    """Close an open match and put its request back in the queue, due again within the SLA.

    Tells the peer that their supporter cannot continue and that someone new will be found.
    """
    old = _end_for_hand_over(match, note=note)
    support_request = _reopen_request(old)
    program = support_request.program
    _record_where_it_went(old, by=by, detail="returned to the waiting list")
    record_event(
        actor=by,
        action="matches.match.returned_to_waiting_list",
        target=old,
        data={"request": support_request.pk},
    )
    notify(
        kind=messages.MATCH_RETURNED_TO_WAITING_LIST,
        recipients=[peer_contact(support_request)],
        context={"previous": old.supporter.display_name},
        idempotency_key=("matches.match.returned_to_waiting_list", old.pk, "peer", CHANNEL),
        channels=[Channel.SMS, Channel.EMAIL],
        program=program,
    )
    return support_request
