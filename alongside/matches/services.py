import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from alongside.accounts.models import User
from alongside.core.audit import record_event
from alongside.core.errors import DomainError
from alongside.intake.models import RequestStatus, SupportRequest
from alongside.matches.models import (
    OPEN_MATCH_STATUSES,
    ContactLog,
    Match,
    MatchStatus,
    SupportType,
)
from alongside.matching.queries import evaluate_by_id
from alongside.notifications.models import Channel
from alongside.notifications.services import queue_message
from alongside.programs.models import ContactMethod
from alongside.supporters.models import Supporter

# A contact may be logged up to this far ahead of the server's clock (clocks drift).
CLOCK_TOLERANCE = dt.timedelta(minutes=10)


@transaction.atomic
def start_match(
    *, support_request: SupportRequest, supporter: Supporter, started_by: User
) -> Match:
    """Match a waiting request with a supporter; queues the introductions to both."""
    # Lock both rows so two coordinators cannot match one request twice or overfill a supporter.
    support_request = SupportRequest.objects.select_for_update().get(pk=support_request.pk)
    Supporter.objects.select_for_update().filter(pk=supporter.pk).first()
    if support_request.status != RequestStatus.NEW:
        raise DomainError(
            _("This request is no longer waiting (%(status)s).")
            % {"status": support_request.get_status_display().lower()}
        )
    candidate = evaluate_by_id(support_request, supporter.pk)
    if candidate is None or not candidate.is_eligible:
        reasons = (
            "; ".join(candidate.reasons_not_eligible)
            if candidate
            else _("belongs to another program")
        )
        raise DomainError(
            _("%(name)s cannot be matched: %(reasons)s.")
            % {"name": supporter.display_name, "reasons": reasons}
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
        data={"request": support_request.pk, "supporter": supporter.pk},
    )
    _queue_introductions(match)
    return match


def _queue_introductions(match: Match) -> None:
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
    if address:
        queue_message(
            channel=channel,
            to_address=address,
            subject=_("We found a peer supporter for you"),
            body=_("Hello %(name)s, %(supporter)s from %(program)s will contact you soon.")
            % {
                "name": peer.first_name,
                "supporter": match.supporter.display_name,
                "program": program.name,
            },
            idempotency_key=f"matches.match.introduced:{match.pk}:peer:{channel}",
            program=program,
        )


def _ensure_open(match: Match) -> None:
    if match.status not in OPEN_MATCH_STATUSES:
        raise DomainError(_("This match is closed; contacts can no longer be logged."))


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
) -> ContactLog:
    """Record one contact (or attempt) with the peer."""
    _ensure_open(match)
    if occurred_at > timezone.now() + CLOCK_TOLERANCE:
        raise DomainError(_("A contact cannot be in the future."))
    if occurred_at < match.started_at - dt.timedelta(days=1):
        raise DomainError(_("This contact is dated before the match began."))
    if not 0 <= minutes <= 600:
        raise DomainError(_("Please enter between 0 and 600 minutes."))
    if was_made and minutes == 0:
        raise DomainError(_("A conversation that took place lasted at least one minute."))
    contact = ContactLog.objects.create(
        match=match,
        logged_by=logged_by,
        occurred_at=occurred_at,
        minutes=minutes,
        method=method,
        was_made=was_made,
        support_types=list(dict.fromkeys(str(kind) for kind in support_types)),
        note=note,
    )
    record_event(
        actor=logged_by,
        action="matches.contact.logged",
        target=contact,
        data={"match": match.pk},
        program_id=match.program_id,
    )
    return contact


def record_match_viewed(*, match: Match, viewer: User) -> None:
    """Notes that someone read a match's contact notes and the peer's contact details."""
    record_event(actor=viewer, action="matches.match.viewed", target=match)
