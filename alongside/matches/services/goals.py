"""Goals agreed with the person in a goal-based program, and notes on their progress."""

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from alongside.accounts.models import User
from alongside.core.audit import record_event
from alongside.core.errors import DomainError
from alongside.matches.models import Goal, GoalNote, GoalStatus, Match
from alongside.matches.services.state import ensure_open


@transaction.atomic
def add_goal(*, match: Match, by: User, description: str, review_on: dt.date | None) -> Goal:
    """Record a goal agreed with the person."""
    ensure_open(match)
    if not match.program.is_goal_based:
        raise DomainError(_("This program does not work toward goals."))
    description = description.strip()
    if not description:
        raise DomainError(_("Describe the goal in the person's words."))
    today = match.program.calendar.today()
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
    ensure_open(match)
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
