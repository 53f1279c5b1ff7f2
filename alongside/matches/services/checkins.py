"""Milestone check-ins on a match (the closure check-in is recorded with the closure)."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from alongside.accounts.models import User
from alongside.core.audit import record_event
from alongside.core.errors import DomainError
from alongside.matches.hooks import Moment, match_reached
from alongside.matches.models import CheckIn, CheckInKind, CheckInMethod
from alongside.matches.services.state import ensure_open, lock_match


def validate_checkin(*, method: CheckInMethod | str, with_peer: bool, with_supporter: bool) -> None:
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
    match = lock_match(checkin.match)
    ensure_open(match)
    if checkin.kind != CheckInKind.MILESTONE:
        raise DomainError(_("The closure check-in is recorded when the match is closed."))
    validate_checkin(method=method, with_peer=with_peer, with_supporter=with_supporter)
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
    match_reached(match, Moment.MILESTONE, checkin.month or 0)
    return checkin
