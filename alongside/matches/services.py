import calendar
import datetime as dt
from collections.abc import Sequence

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from alongside.accounts.models import Role, User
from alongside.accounts.queries import program_ids_for
from alongside.core.audit import record_event
from alongside.core.errors import DomainError
from alongside.intake.models import RequestStatus, Source, SupportRequest
from alongside.matches.models import (
    OPEN_MATCH_STATUSES,
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
    SupportType,
)
from alongside.matching.queries import check_pair
from alongside.notifications.models import Channel
from alongside.notifications.services import queue_message
from alongside.outcomes.models import Occasion
from alongside.outcomes.services import send_surveys
from alongside.programs.models import ContactMethod
from alongside.resources.models import Resource
from alongside.resources.services import record_referrals
from alongside.safety.services import raise_escalation
from alongside.supporters.models import Supporter

# Closing reasons for which the person may not be reachable for the closure check-in.
PERSON_MAY_BE_UNREACHABLE = (ClosureReason.PERSON_WITHDREW, ClosureReason.NO_CONTACT)

# A contact may be logged up to this far ahead of the server's clock (clocks drift).
CLOCK_TOLERANCE = dt.timedelta(minutes=10)


@transaction.atomic
def start_match(
    *,
    support_request: SupportRequest,
    supporter: Supporter,
    started_by: User,
    handed_over_from: Match | None = None,
) -> Match:
    """Match a waiting request with a supporter; queues the introductions to both.

    When the match takes over from one whose supporter left, the peer hears that their
    supporter is changing rather than that one was found.
    """
    # Lock both rows so two coordinators cannot match one request twice or overfill a supporter.
    support_request = SupportRequest.objects.select_for_update().get(pk=support_request.pk)
    Supporter.objects.select_for_update().filter(pk=supporter.pk).first()
    if support_request.status != RequestStatus.NEW:
        raise DomainError(
            _("This request is no longer waiting (%(status)s).")
            % {"status": support_request.get_status_display().lower()}
        )
    fit = check_pair(support_request, supporter)
    if not fit.can_match:
        raise DomainError(
            _("%(name)s cannot be matched: %(reasons)s.")
            % {"name": supporter.display_name, "reasons": "; ".join(fit.reasons)}
        )
    now = timezone.now()
    program = support_request.program
    match = Match.objects.create(
        program=program,
        request=support_request,
        supporter=supporter,
        status=MatchStatus.ACTIVE,
        started_at=now,
        planned_end_on=(
            timezone.localdate(now, program.calendar.zone)
            + dt.timedelta(weeks=program.match_length_weeks)
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
    _queue_introductions(match, handed_over_from=handed_over_from)
    send_surveys(match=match, occasion=Occasion.START)
    return match


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later, or the month's last day when it is shorter (31 Jan + 1)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _plan_checkins(match: Match) -> None:
    start = timezone.localdate(match.started_at, match.program.calendar.zone)
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
    queue_message(
        channel=Channel.EMAIL,
        to_address=supporter_user.email,
        recipient=supporter_user,
        subject=_("You have a new match in %(program)s") % {"program": program.name},
        body=_(
            "Hello %(name)s,\n\nYou have been matched with %(peer)s. Sign in to Alongside to see "
            "how they would like to be contacted.\n"
        )
        % {"name": supporter_user.display_name, "peer": peer.first_name},
        idempotency_key=f"matches.match.introduced:{match.pk}:supporter:email",
        program=program,
    )
    queue_message(
        channel=Channel.IN_APP,
        to_address=supporter_user.email,
        recipient=supporter_user,
        subject=_("New match"),
        body=_("You have been matched with %(peer)s.") % {"peer": peer.first_name},
        idempotency_key=f"matches.match.introduced:{match.pk}:supporter:in_app",
        program=program,
    )
    wants_text = ContactMethod.TEXT in match.request.contact_methods
    channel, address = (
        (Channel.SMS, peer.phone) if wants_text and peer.phone else (Channel.EMAIL, peer.email)
    )
    names = {
        "name": peer.first_name,
        "supporter": match.supporter.display_name,
        "program": program.name,
    }
    kind = "matches.match.introduced"
    if handed_over_from is not None:
        kind = "matches.match.handed_over"  # its own kind, so programs may word it their way
        subject = _("Your peer supporter is changing")
        body = _(
            "Hello %(name)s, %(previous)s can no longer continue as your peer supporter. "
            "%(supporter)s from %(program)s takes over and will contact you soon."
        ) % (names | {"previous": handed_over_from.supporter.display_name})
    else:
        subject = _("We found a peer supporter for you")
        body = _("Hello %(name)s, %(supporter)s from %(program)s will contact you soon.") % names
    if address:
        queue_message(
            channel=channel,
            to_address=address,
            subject=subject,
            body=body,
            idempotency_key=f"{kind}:{match.pk}:peer:{channel}",
            program=program,
            language=peer.language,
        )


def _ensure_open(match: Match) -> None:
    if match.status not in OPEN_MATCH_STATUSES:
        raise DomainError(_("This match is closed; contacts can no longer be logged."))


def _lock(match: Match) -> Match:
    """The match's row, locked, so two coordinators cannot change its plan at once."""
    return Match.objects.select_for_update().select_related("program", "request").get(pk=match.pk)


@transaction.atomic
def log_contact(
    *,
    match: Match,
    logged_by: User,
    occurred_at: dt.datetime,
    minutes: int,
    method: ContactMethod | str,
    was_made: bool,
    support_types: list[SupportType | str],
    note: str,
    follow_up_on: dt.date | None = None,
    follow_up_what: str = "",
    resources: Sequence[Resource] = (),
    needs_coordinator: bool = False,
    is_urgent: bool = False,
    what_happened: str = "",
) -> ContactLog:
    """Record one contact (or attempt) with the peer.

    Counts the resources shared, closes open no-contact alerts, and raises an escalation when
    the supporter says the coordinator is needed.
    """
    _ensure_open(_lock(match))  # the stored status: it may have closed since it was read
    if occurred_at > timezone.now() + CLOCK_TOLERANCE:
        raise DomainError(_("A contact cannot be in the future."))
    if occurred_at < match.started_at - dt.timedelta(days=1):
        raise DomainError(_("This contact is dated before the match began."))
    if not 0 <= minutes <= 600:
        raise DomainError(_("Please enter between 0 and 600 minutes."))
    if was_made and minutes == 0:
        raise DomainError(_("A conversation that took place lasted at least one minute."))
    if follow_up_on is not None and follow_up_on < timezone.localdate(occurred_at):
        raise DomainError(_("A follow-up date cannot be before the contact."))
    if needs_coordinator and not what_happened.strip():
        raise DomainError(_("Tell the coordinator what happened, in a few words."))
    if resources and not was_made:
        raise DomainError(_("A resource can only be shared in a conversation that took place."))
    contact = ContactLog.objects.create(
        match=match,
        logged_by=logged_by,
        occurred_at=occurred_at,
        minutes=minutes,
        method=method,
        was_made=was_made,
        support_types=list(dict.fromkeys(str(kind) for kind in support_types)),
        note=note,
        follow_up_on=follow_up_on,
        follow_up_what=follow_up_what.strip(),
        needs_coordinator=needs_coordinator,
    )
    record_event(
        actor=logged_by,
        action="matches.contact.logged",
        target=contact,
        data={"match": match.pk}
        | ({"resources": [resource.pk for resource in resources]} if resources else {}),
        program_id=match.program_id,
    )
    if resources:
        record_referrals(contact=contact, resources=resources, shared_by=logged_by)
    NoContactAlert.objects.filter(match=match, resolved_at__isnull=True).update(
        resolved_at=timezone.now()
    )
    if needs_coordinator:
        raise_escalation(
            program=match.program,
            raised_by=logged_by,
            urgency="urgent" if is_urgent else "beyond_role",
            what_happened=what_happened,
            match=match,
            contact=contact,
        )
    return contact


def may_comment_on(user: User, match: Match) -> bool:
    return match.program_id in program_ids_for(user, {Role.SUPERVISOR})


@transaction.atomic
def comment_on_contact(*, contact: ContactLog, author: User, body: str) -> ContactComment:
    """A supervisor's comment on a contact; tells whoever logged it, in the app."""
    match = contact.match
    if not may_comment_on(author, match):
        raise DomainError(_("Only a supervisor of this program can comment on contacts."))
    body = body.strip()
    if not body:
        raise DomainError(_("Write a comment first."))
    comment = ContactComment.objects.create(contact=contact, author=author, body=body)
    record_event(
        actor=author,
        action="matches.contact.commented",
        target=comment,
        data={"contact": contact.pk},
        program_id=match.program_id,
    )
    logged_by = contact.logged_by
    if logged_by is not None and logged_by.pk != author.pk:
        queue_message(
            channel=Channel.IN_APP,
            to_address=logged_by.email,
            recipient=logged_by,
            subject=_("Your supervisor commented on a contact"),
            body=_("%(name)s commented on your contact of %(date)s.")
            % {"name": author.display_name, "date": f"{contact.occurred_at:%Y-%m-%d}"},
            idempotency_key=f"matches.contact.commented:{comment.pk}",
            program=match.program,
        )
    return comment


# ---- the plan: pause, resume, extend -------------------------------------------------------


def _record_change(match: Match, *, kind: MatchEventKind, by: User, detail: str = "") -> MatchEvent:
    event = MatchEvent.objects.create(
        match=match, kind=kind, by=by, at=timezone.now(), detail=detail
    )
    record_event(actor=by, action=f"matches.match.{kind}", target=match, data={"detail": detail})
    return event


@transaction.atomic
def pause_match(*, match: Match, by: User, reason: str = "") -> Match:
    """Pause an active match (no contact expected, no alerts) until it is resumed."""
    match = _lock(match)
    if match.status != MatchStatus.ACTIVE:
        raise DomainError(_("Only an active match can be paused."))
    match.status = MatchStatus.PAUSED
    match.paused_at = timezone.now()
    match.save(update_fields=["status", "paused_at"])
    _record_change(match, kind=MatchEventKind.PAUSED, by=by, detail=reason.strip()[:200])
    return match


@transaction.atomic
def resume_match(*, match: Match, by: User) -> Match:
    """Resume a paused match; the silence before the pause no longer counts against it."""
    match = _lock(match)
    if match.status != MatchStatus.PAUSED:
        raise DomainError(_("Only a paused match can be resumed."))
    match.status = MatchStatus.ACTIVE
    match.paused_at = None
    match.save(update_fields=["status", "paused_at"])
    _record_change(match, kind=MatchEventKind.RESUMED, by=by)
    return match


@transaction.atomic
def extend_match(*, match: Match, by: User, until: dt.date) -> Match:
    """Move the planned end of an open match later."""
    match = _lock(match)
    _ensure_open(match)
    today = timezone.localdate(timezone.now(), match.program.calendar.zone)
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
    _record_change(
        match,
        kind=MatchEventKind.EXTENDED,
        by=by,
        detail=f"{previous.isoformat() if previous else '—'} → {until.isoformat()}",
    )
    return match


# ---- check-ins -----------------------------------------------------------------------------


def _validate_checkin(
    *, method: CheckInMethod | str, with_peer: bool, with_supporter: bool
) -> None:
    if method not in CheckInMethod.values:
        raise DomainError(_("Choose how the check-in took place."))
    if not (with_peer or with_supporter):
        raise DomainError(_("A check-in hears from the person, the supporter, or both."))


@transaction.atomic
def log_checkin(
    *,
    checkin: CheckIn,
    by: User,
    method: CheckInMethod | str,
    with_peer: bool,
    with_supporter: bool,
    notes: str,
) -> CheckIn:
    """Record a milestone check-in; sends the milestone questionnaires to the person."""
    match = _lock(checkin.match)
    _ensure_open(match)
    if checkin.kind != CheckInKind.MILESTONE:
        raise DomainError(_("The closure check-in is recorded when the match is closed."))
    _validate_checkin(method=method, with_peer=with_peer, with_supporter=with_supporter)
    claimed = CheckIn.objects.filter(pk=checkin.pk, done_at__isnull=True).update(
        done_at=timezone.now(),
        done_by=by,
        method=method,
        with_peer=with_peer,
        with_supporter=with_supporter,
        notes=notes.strip(),
    )
    if not claimed:
        raise DomainError(_("This check-in has already been recorded."))
    checkin.refresh_from_db()
    record_event(
        actor=by, action="matches.checkin.logged", target=checkin, data={"match": match.pk}
    )
    send_surveys(match=match, occasion=Occasion.MILESTONE, month=checkin.month or 0)
    return checkin


# ---- goals ---------------------------------------------------------------------------------


@transaction.atomic
def add_goal(*, match: Match, by: User, description: str, review_on: dt.date | None) -> Goal:
    """Record a goal agreed with the person."""
    _ensure_open(match)
    if not match.program.is_goal_based:
        raise DomainError(_("This program does not work toward goals."))
    description = description.strip()
    if not description:
        raise DomainError(_("Describe the goal in the person's words."))
    today = timezone.localdate(timezone.now(), match.program.calendar.zone)
    if review_on is not None and review_on < today:
        raise DomainError(_("The review date cannot be in the past."))
    goal = Goal.objects.create(
        match=match, description=description, agreed_on=today, review_on=review_on, created_by=by
    )
    record_event(actor=by, action="matches.goal.added", target=goal, program_id=match.program_id)
    return goal


@transaction.atomic
def update_goal(
    *,
    goal: Goal,
    by: User,
    note: str,
    status: GoalStatus | str,
    review_on: dt.date | None,
) -> GoalNote:
    """Add a progress note to a goal, moving it to a new status or review date if given."""
    match = goal.match
    _ensure_open(match)
    if status not in GoalStatus.values:
        raise DomainError(_("Choose where the goal stands."))
    note = note.strip()
    if not note and status == goal.status and review_on == goal.review_on:
        raise DomainError(_("Write a progress note, or change the status or review date."))
    goal.status = status
    goal.review_on = review_on
    goal.save(update_fields=["status", "review_on", "updated_at"])
    progress = GoalNote.objects.create(goal=goal, author=by, note=note, status=status)
    record_event(
        actor=by,
        action="matches.goal.updated",
        target=goal,
        data={"status": str(status)},
        program_id=match.program_id,
    )
    return progress


# ---- closure -------------------------------------------------------------------------------


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
    closing questionnaires, and a summary to the referrer when the person agreed.
    """
    match = _lock(match)
    if match.status == MatchStatus.CLOSED:
        raise DomainError(_("This match is already closed."))
    if reason not in ClosureReason.values:
        raise DomainError(_("Choose why the match is closing."))
    _validate_checkin(
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
    now = timezone.now()
    CheckIn.objects.create(
        match=match,
        kind=CheckInKind.CLOSURE,
        due_on=timezone.localdate(now, match.program.calendar.zone),
        done_at=now,
        done_by=closed_by,
        method=checkin_method,
        with_peer=heard_from_peer,
        with_supporter=heard_from_supporter,
        notes=checkin_notes.strip(),
    )
    match.status = MatchStatus.CLOSED
    match.closed_at = now
    match.closure_reason = reason
    match.closure_note = note.strip()
    match.paused_at = None
    match.summary_to_referrer_consented = summary_to_referrer_consented
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
    _record_change(match, kind=MatchEventKind.CLOSED, by=closed_by, detail=str(reason))
    send_surveys(match=match, occasion=Occasion.CLOSURE)
    if summary_to_referrer_consented:
        _queue_summary_to_referrer(match)
    return match


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


def _queue_summary_to_referrer(match: Match) -> None:
    support_request = match.request
    referrer = support_request.referred_by
    if support_request.source != Source.REFERRAL or referrer is None:
        return
    made = match.contacts.filter(was_made=True)
    queue_message(
        channel=Channel.EMAIL,
        to_address=referrer.email,
        recipient=referrer,
        subject=_("Peer support for your referral has ended"),
        body=_(
            "Hello %(name)s,\n\nThe peer support you referred %(peer)s to in %(program)s ran "
            "from %(start)s to %(end)s, with %(contacts)s conversations. It closed: %(reason)s.\n"
            "The person agreed that we tell you.\n"
        )
        % {
            "name": referrer.display_name,
            "peer": support_request.peer.first_name,
            "program": match.program.name,
            "start": f"{match.started_at:%Y-%m-%d}",
            "end": f"{match.closed_at:%Y-%m-%d}" if match.closed_at else "",
            "contacts": made.count(),
            "reason": match.get_closure_reason_display().lower(),
        },
        idempotency_key=f"matches.match.closed:{match.pk}:referrer",
        program=match.program,
    )


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
