"""The match's row lock, the open-match guard and its history, shared by every topic."""

from django.utils import timezone
from django.utils.translation import gettext as _

from alongside.accounts.models import User
from alongside.core.audit import record_event
from alongside.core.errors import DomainError
from alongside.matches.models import OPEN_MATCH_STATUSES, Match, MatchEvent, MatchEventKind


def ensure_open(match: Match) -> None:
    if match.status not in OPEN_MATCH_STATUSES:
        raise DomainError(_("This match is closed; contacts can no longer be logged."))


def lock_match(match: Match) -> Match:
    """The match's row, locked, so two coordinators cannot change its plan at once."""
    return Match.objects.select_for_update().select_related("program", "request").get(pk=match.pk)


def record_change(match: Match, *, kind: MatchEventKind, by: User, detail: str = "") -> MatchEvent:
    """Adds the change to the match's history and writes its audit event."""
    event = MatchEvent.objects.create(
        match=match, kind=kind, by=by, at=timezone.now(), detail=detail
    )
    record_event(actor=by, action=f"matches.match.{kind}", target=match, data={"detail": detail})
    return event
