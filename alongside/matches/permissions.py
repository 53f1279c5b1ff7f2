from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import BooleanField, ExpressionWrapper, Q
from django.http import Http404
from django.shortcuts import get_object_or_404

from alongside.accounts.models import STAFF_ROLES, User
from alongside.matches.models import (
    CheckIn,
    ContactLog,
    Goal,
    HoursReport,
    Match,
)
from alongside.matches.queries import with_hours as with_hours_so_far
from alongside.matches.scopes import staff_tied_scope, supervised_matches
from alongside.programs.queries import holds_role_in, program_ids_for


@dataclass(frozen=True)
class MatchAccess:
    """A match the user may see, and whether they work it as its program's staff or supervise
    it (may comment on its contacts), read in one query."""

    match: Match
    is_staff: bool
    supervises: bool


def match_access_for(user: User, match_id: int, *, with_hours: bool = False) -> MatchAccess:
    """The match and the user's place in its program (404 when they may not see it); with
    its hours so far (`queries.hours_of`) when asked."""
    matches = Match.objects.visible_to(user)
    found = (
        (with_hours_so_far(matches) if with_hours else matches)
        .select_related("program", "supporter__user", "request__peer", "request__experience")
        .annotate(
            viewer_is_staff=ExpressionWrapper(
                Q(program_id__in=program_ids_for(user, STAFF_ROLES)) | staff_tied_scope(user),
                output_field=BooleanField(),
            ),
            viewer_supervises=ExpressionWrapper(
                supervised_matches(user), output_field=BooleanField()
            ),
        )
        .filter(pk=match_id)
        .first()
    )
    if found is None:
        raise Http404
    return MatchAccess(
        match=found,
        is_staff=bool(found.viewer_is_staff),
        supervises=bool(found.viewer_supervises),
    )


def get_match_for(user: User, match_id: int, *, write: bool = False, manage: bool = False) -> Match:
    """A match the user may see (404 otherwise). Writing: its supporter, or program staff.

    Managing (its plan, check-ins, closure): program staff only.
    """
    access = match_access_for(user, match_id)
    match = access.match
    if manage and not access.is_staff:
        raise Http404
    if write and match.supporter.user_id != user.pk and not access.is_staff:
        raise Http404
    return match


def readable_private_notes(
    user: User, match: Match, contacts: Iterable[ContactLog], *, is_staff: bool | None = None
) -> set[int]:
    """The contacts of `match` whose private note `user` may read. The promise on the contact
    form: only whoever wrote the note and the program's coordinators (`is_staff`, when the
    caller knows it already)."""
    if is_staff is None:
        is_staff = holds_role_in(user, STAFF_ROLES, match.program_id)
    if is_staff:
        return {contact.pk for contact in contacts}
    return {contact.pk for contact in contacts if contact.logged_by_id == user.pk}


def may_comment_on(user: User, match: Match) -> bool:
    """Whether the user supervises the match's supporter (and may see its person)."""
    return Match.objects.supervised_by(user).filter(pk=match.pk).exists()


def can_read_private_note(user: User, contact: ContactLog) -> bool:
    return contact.pk in readable_private_notes(user, contact.match, [contact])


def get_contact_for_comment(user: User, contact_id: int) -> ContactLog:
    """A contact on a match of a supporter the user supervises (404 otherwise)."""
    return get_object_or_404(
        ContactLog.objects.select_related("match__program", "logged_by"),
        pk=contact_id,
        match__in=Match.objects.supervised_by(user),
    )


def get_checkin_for(user: User, checkin_id: int) -> CheckIn:
    checkin = get_object_or_404(CheckIn.objects.select_related("match"), pk=checkin_id)
    get_match_for(user, checkin.match_id, manage=True)
    return checkin


def get_goal_for(user: User, goal_id: int, *, write: bool = False) -> Goal:
    goal = get_object_or_404(Goal.objects.select_related("match"), pk=goal_id)
    goal.match = get_match_for(user, goal.match_id, write=write)
    return goal


def get_hours_report_for(user: User, report_id: int, *, write: bool = False) -> HoursReport:
    """A report the user may see; only its supporter may confirm it."""
    report = get_object_or_404(
        HoursReport.objects.visible_to(user).select_related("program", "supporter__user"),
        pk=report_id,
    )
    if write and report.supporter.user_id != user.pk:
        raise Http404
    return report
