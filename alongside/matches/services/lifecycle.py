"""A match's life before closure: its start, its plan (pause, resume, extend), who opened it."""

import datetime as dt

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from alongside.accounts.models import User
from alongside.core.audit import record_event
from alongside.core.calendar import add_months
from alongside.core.errors import DomainError
from alongside.intake.models import RequestStatus, SupportRequest
from alongside.intake.queries import peer_contact
from alongside.matches import messages
from alongside.matches.hooks import Moment, match_reached, reasons_not_to_pair
from alongside.matches.models import CheckIn, CheckInKind, Match, MatchEventKind, MatchStatus
from alongside.matches.services.referrals import add_starting_goals, tell_referrer_matched
from alongside.matches.services.state import ensure_open, lock_match, record_change
from alongside.notifications.models import Channel
from alongside.notifications.notify import CHANNEL, notify
from alongside.notifications.webhooks.services import emit_event
from alongside.supporters.models import Supporter


@transaction.atomic
def start_match(
    *,
    support_request: SupportRequest,
    supporter: Supporter,
    started_by: User,
    handed_over_from: Match | None = None,
) -> Match:
    """Match a waiting request with a supporter; queues the introductions to both, and tells a
    referrer. A referred client's first match starts with the goals written at referral.

    When the match takes over from one whose supporter left, the peer hears that their
    supporter is changing rather than that one was found.
    """
    # Lock both rows so two coordinators cannot match one request twice or overfill a supporter.
    support_request = SupportRequest.objects.select_for_update().get(pk=support_request.pk)
    Supporter.objects.select_for_update().filter(pk=supporter.pk).first()
    ensure_can_start(support_request, supporter)
    now = timezone.now()
    program = support_request.program
    match = Match.objects.create(
        program=program,
        request=support_request,
        supporter=supporter,
        status=MatchStatus.ACTIVE,
        started_at=now,
        planned_end_on=(
            program.calendar.today(now) + dt.timedelta(weeks=program.match_length_weeks)
            if program.match_length_weeks
            else None
        ),
        created_by=started_by,
    )
    support_request.status = RequestStatus.MATCHED
    support_request.save(update_fields=["status", "updated_at"])
    record_event(
        actor=started_by,
        action="matches.match.started",
        target=match,
        data={"request": support_request.pk, "supporter": supporter.pk}
        | ({"handed_over_from": handed_over_from.pk} if handed_over_from else {}),
    )
    _plan_checkins(match)
    add_starting_goals(match=match, by=started_by)
    _queue_introductions(match, handed_over_from=handed_over_from)
    match_reached(match, Moment.STARTED)
    tell_referrer_matched(match)
    emit_event(
        program=program,
        event=messages.MATCH_STARTED_EVENT,
        ids={"match": match.pk, "request": support_request.pk},
    )
    return match


def ensure_can_start(support_request: SupportRequest, supporter: Supporter) -> None:
    """Raises the reason this pair cannot start a match now; a check, it changes nothing."""
    if support_request.status != RequestStatus.NEW:
        raise DomainError(
            _("This request is no longer waiting (%(status)s).")
            % {"status": support_request.get_status_display().lower()}
        )
    reasons = reasons_not_to_pair(support_request, supporter)
    if reasons:
        raise DomainError(
            _("%(name)s cannot be matched: %(reasons)s.")
            % {"name": supporter.display_name, "reasons": "; ".join(reasons)}
        )


def _plan_checkins(match: Match) -> None:
    start = match.program.calendar.today(match.started_at)
    CheckIn.objects.bulk_create(
        CheckIn(
            match=match,
            kind=CheckInKind.MILESTONE,
            month=month,
            due_on=add_months(start, month),
        )
        for month in match.program.checkin_months
    )


def _queue_introductions(match: Match, *, handed_over_from: Match | None = None) -> None:
    peer = match.request.peer
    supporter_user = match.supporter.user
    program = match.program
    for kind, channel in (
        (messages.MATCH_INTRODUCED_TO_SUPPORTER, Channel.EMAIL),
        (messages.MATCH_INTRODUCED_IN_APP, Channel.IN_APP),
    ):
        notify(
            kind=kind,
            recipients=[supporter_user],
            context={"peer": peer.first_name},
            idempotency_key=("matches.match.introduced", match.pk, "supporter", CHANNEL),
            channels=[channel],
            program=program,
            link=reverse("matches:detail", args=[match.pk]),
        )
    context = {"supporter": match.supporter.display_name}
    kind = messages.MATCH_INTRODUCED_TO_PEER
    if handed_over_from is not None:
        # Its own kind, so programs may word it their way.
        kind = messages.MATCH_HANDED_OVER
        context["previous"] = handed_over_from.supporter.display_name
    notify(
        kind=kind,
        recipients=[peer_contact(match.request)],
        context=context,
        idempotency_key=(kind.code, match.pk, "peer", CHANNEL),
        channels=[Channel.SMS, Channel.EMAIL],
        program=program,
    )


@transaction.atomic
def pause_match(*, match: Match, by: User, reason: str = "") -> Match:
    """Pause an active match (no contact expected, no alerts) until it is resumed."""
    match = lock_match(match)
    if match.status != MatchStatus.ACTIVE:
        raise DomainError(_("Only an active match can be paused."))
    match.status = MatchStatus.PAUSED
    match.paused_at = timezone.now()
    match.save(update_fields=["status", "paused_at"])
    record_change(match, kind=MatchEventKind.PAUSED, by=by, detail=reason.strip()[:200])
    return match


@transaction.atomic
def resume_match(*, match: Match, by: User) -> Match:
    """Resume a paused match; the silence before the pause no longer counts against it."""
    match = lock_match(match)
    if match.status != MatchStatus.PAUSED:
        raise DomainError(_("Only a paused match can be resumed."))
    match.status = MatchStatus.ACTIVE
    match.paused_at = None
    match.save(update_fields=["status", "paused_at"])
    record_change(match, kind=MatchEventKind.RESUMED, by=by)
    return match


@transaction.atomic
def extend_match(*, match: Match, by: User, until: dt.date) -> Match:
    """Move the planned end of an open match later."""
    match = lock_match(match)
    ensure_open(match)
    today = match.program.calendar.today()
    if until <= today:
        raise DomainError(_("The new end must be after today."))
    if match.planned_end_on and until <= match.planned_end_on:
        raise DomainError(
            _("The new end must be after the planned end (%(date)s).")
            % {"date": match.planned_end_on.isoformat()}
        )
    previous = match.planned_end_on
    match.planned_end_on = until
    match.save(update_fields=["planned_end_on"])
    record_change(
        match,
        kind=MatchEventKind.EXTENDED,
        by=by,
        detail=f"{previous.isoformat() if previous else '—'} → {until.isoformat()}",
    )
    return match


def record_match_viewed(
    *, match: Match, viewer: User, contact_details: bool = False, private_notes: int = 0
) -> None:
    """Notes that someone opened a match, and which sensitive things it showed them: the
    peer's contact details, and how many private contact notes."""
    record_event(
        actor=viewer,
        action="matches.match.viewed",
        target=match,
        data={"contact_details": contact_details, "private_notes": private_notes},
    )
