"""What a referrer may hear about the match of a client they referred, as their consent allows."""

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from alongside.matches.models import GoalStatus, Match


@dataclass(frozen=True)
class ClosingSummary:
    """How a match went, in figures and labels only: never a contact note or a goal's words."""

    started_on: dt.date
    ended_on: dt.date
    weeks: int
    conversations: int
    goals_achieved: int
    goals_total: int
    reason: str


def closing_summary(match: Match) -> ClosingSummary:
    """The summary of a closed match a referrer receives when the client agreed to it."""
    zone = match.program.calendar.zone
    started_on = timezone.localdate(match.started_at, zone)
    ended_on = timezone.localdate(match.closed_at or timezone.now(), zone)
    goals = list(match.goals.values_list("status", flat=True))
    return ClosingSummary(
        started_on=started_on,
        ended_on=ended_on,
        weeks=max((ended_on - started_on).days // 7, 0),
        conversations=match.contacts.filter(was_made=True).count(),
        goals_achieved=sum(1 for status in goals if status == GoalStatus.ACHIEVED),
        goals_total=len(goals),
        reason=str(match.get_closure_reason_display()),
    )
