import uuid

from django.shortcuts import get_object_or_404

from alongside.accounts.models import STAFF_ROLES, User
from alongside.matching.models import MatchingRun, Proposal
from alongside.programs.models import Program
from alongside.programs.queries import program_ids_for, programs_staffed_by


def get_proposal_for(user: User, proposal_id: int, *, staff: bool = False) -> Proposal:
    """A proposal the user may see (404 otherwise); with `staff`, only program staff's."""
    queryset = Proposal.objects.visible_to(user)
    if staff:
        queryset = queryset.filter(program_id__in=program_ids_for(user, STAFF_ROLES))
    return get_object_or_404(
        queryset.select_related(
            "program", "request__peer", "request__experience", "supporter__user", "match"
        ),
        pk=proposal_id,
    )


def get_program_for_matching(user: User, program_id: int) -> Program:
    """A program whose matching the user runs (coordinators and administrators), 404 otherwise."""
    return get_object_or_404(programs_staffed_by(user), pk=program_id)


def get_run_for(user: User, batch: uuid.UUID) -> MatchingRun:
    """A "match everyone" run of a program the user staffs, 404 otherwise."""
    runs = MatchingRun.objects.filter(program_id__in=program_ids_for(user, STAFF_ROLES))
    return get_object_or_404(runs.select_related("program"), batch=batch)
