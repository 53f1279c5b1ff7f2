"""Closing a match: the closure check-in, the freed place, the closing surveys and summary."""

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from alongside.accounts.models import User
from alongside.core.errors import DomainError
from alongside.intake.models import RequestStatus, SupportRequest
from alongside.matches import messages
from alongside.matches.hooks import Moment, match_reached
from alongside.matches.models import (
    CheckIn,
    CheckInKind,
    CheckInMethod,
    ClosureReason,
    ContactComment,
    ContactLog,
    Goal,
    GoalNote,
    GoalStatus,
    Match,
    MatchEvent,
    MatchEventKind,
    MatchStatus,
    NoContactAlert,
)
from alongside.matches.services.checkins import validate_checkin
from alongside.matches.services.referrals import summary_consented_at_referral, tell_referrer_closed
from alongside.matches.services.state import lock_match, record_change
from alongside.notifications.webhooks.services import emit_event

# Closing reasons for which the person may not be reachable for the closure check-in.
PERSON_MAY_BE_UNREACHABLE = (ClosureReason.PERSON_WITHDREW, ClosureReason.NO_CONTACT)


@transaction.atomic
def close_match(
    *,
    match: Match,
    closed_by: User,
    reason: ClosureReason | str,
    note: str,
    checkin_method: CheckInMethod | str,
    heard_from_peer: bool,
    heard_from_supporter: bool,
    checkin_notes: str,
    summary_to_referrer_consented: bool = False,
) -> Match:
    """Record the closure check-in and close the match, keeping its history.

    Frees the supporter's place (capacity counts open matches), closes the request, sends the
    closing questionnaires, and tells a referrer, with a summary when the person agreed (at
    referral, or, for a referral made without a consent record, at this closing).
    """
    match = lock_match(match)
    _ensure_can_close(
        match,
        reason=reason,
        checkin_method=checkin_method,
        heard_from_peer=heard_from_peer,
        heard_from_supporter=heard_from_supporter,
    )
    now = timezone.now()
    CheckIn.objects.create(
        **_closure_checkin(match, now=now, by=closed_by, method=checkin_method),
        with_peer=heard_from_peer,
        with_supporter=heard_from_supporter,
        notes=checkin_notes.strip(),
    )
    match.status = MatchStatus.CLOSED
    match.closed_at = now
    match.closure_reason = reason
    match.closure_note = note.strip()
    match.paused_at = None
    at_referral = summary_consented_at_referral(match)
    match.summary_to_referrer_consented = (
        summary_to_referrer_consented if at_referral is None else at_referral
    )
    match.save(
        update_fields=[
            "status",
            "closed_at",
            "closure_reason",
            "closure_note",
            "paused_at",
            "summary_to_referrer_consented",
        ]
    )
    SupportRequest.objects.filter(pk=match.request_id).update(
        status=RequestStatus.CLOSED, updated_at=now
    )
    NoContactAlert.objects.filter(match=match, resolved_at__isnull=True).update(resolved_at=now)
    record_change(match, kind=MatchEventKind.CLOSED, by=closed_by, detail=str(reason))
    match_reached(match, Moment.CLOSED)
    _tell_of_closure(match)
    return match


def _tell_of_closure(match: Match) -> None:
    """The referrer hears of the closure, and the program's partners' systems (webhooks)."""
    tell_referrer_closed(match)
    emit_closed_event(match)


def emit_closed_event(match: Match) -> None:
    """Tell the program's partners' systems that the match closed (webhooks: ids only)."""
    emit_event(
        program=match.program,
        event=messages.MATCH_CLOSED_EVENT,
        ids={"match": match.pk, "request": match.request_id},
    )


def _closure_checkin(
    match: Match, *, now: dt.datetime, by: User, method: CheckInMethod | str
) -> dict[str, Any]:
    due_on = match.program.calendar.today(now)
    return {
        "match": match,
        "kind": CheckInKind.CLOSURE,
        "due_on": due_on,
        "done_at": now,
        "done_by": by,
        "method": method,
    }


def _ensure_can_close(
    match: Match,
    *,
    reason: ClosureReason | str,
    checkin_method: CheckInMethod | str,
    heard_from_peer: bool,
    heard_from_supporter: bool,
) -> None:
    if match.status == MatchStatus.CLOSED:
        raise DomainError(_("This match is already closed."))
    if reason not in ClosureReason.values:
        raise DomainError(_("Choose why the match is closing."))
    validate_checkin(
        method=checkin_method, with_peer=heard_from_peer, with_supporter=heard_from_supporter
    )
    if not heard_from_supporter:
        raise DomainError(_("The closure check-in must hear from the supporter."))
    if not heard_from_peer and reason not in PERSON_MAY_BE_UNREACHABLE:
        raise DomainError(
            _(
                "The closure check-in must hear from the person, unless they withdrew or "
                "could not be reached."
            )
        )
    if reason == ClosureReason.GOALS_MET:
        _ensure_goals_met(match)


def _ensure_goals_met(match: Match) -> None:
    if not match.program.is_goal_based:
        raise DomainError(_("This program does not work toward goals; choose another reason."))
    statuses = list(match.goals.values_list("status", flat=True))
    if GoalStatus.ACHIEVED not in statuses:
        raise DomainError(_("No goal is marked achieved yet."))
    if GoalStatus.ACTIVE in statuses:
        raise DomainError(
            _("Some goals are still being worked on: mark each achieved, changed or dropped first.")
        )


@transaction.atomic
def deidentify_match(*, match: Match) -> None:
    """Replace what was written on a closed match (its closing note, the contacts' notes and
    comments, the goals and their progress, the check-ins' notes) with nothing; every row stays
    with its dates, minutes, methods and states, so the hours and contacts count the same. The
    caller (privacy's retention) audits it."""
    Match.objects.filter(pk=match.pk).update(closure_note="")
    contacts = ContactLog.objects.filter(match_id=match.pk)
    contacts.update(note="", follow_up_what="")
    ContactComment.objects.filter(contact__in=contacts).update(body="")
    CheckIn.objects.filter(match_id=match.pk).update(notes="")
    goals = Goal.objects.filter(match_id=match.pk)
    GoalNote.objects.filter(goal__in=goals).update(note="")
    goals.update(description="")
    # A closing reason's code stays (reports count closures by reason); a pause's words go.
    MatchEvent.objects.filter(match_id=match.pk).exclude(detail__in=ClosureReason.values).update(
        detail=""
    )
