from django.http import Http404

from alongside.accounts.models import STAFF_ROLES, User
from alongside.intake.models import SupportRequest
from alongside.programs.queries import (
    holds_role_in,
    in_site_scope,
    program_ids_for,
    remember_role_in,
    role_in_program,
)


def get_request_for(
    user: User, request_id: int, *, write: bool = False, with_referral: bool = False
) -> SupportRequest:
    """A request the user may see (404 otherwise); only program staff may act on it. With
    `with_referral`, what its referrer added comes in the same query (its page shows it).

    Whether the user is its program's staff is read in the same query and kept for the rest
    of the request (`holds_role_in`): the page, its contact details and matching's panel ask.
    """
    queryset = SupportRequest.objects.visible_to(user)
    if write:
        queryset = queryset.filter(program_id__in=program_ids_for(user, STAFF_ROLES))
    related = ["program", "peer", "experience__allied_to", "site"]
    if with_referral:
        related += ["referred_by", "referral__consent"]
    found = (
        queryset.select_related(*related)
        .annotate(viewer_is_staff=role_in_program(user, STAFF_ROLES))
        .filter(pk=request_id)
        .first()
    )
    if found is None:
        raise Http404
    remember_role_in(user, STAFF_ROLES, found.program_id, found.viewer_is_staff)  # type: ignore[attr-defined]
    return found


def can_see_contact_details(user: User, support_request: SupportRequest) -> bool:
    """The promise on the request form: the person's phone and e-mail are seen only by the
    program's coordinators and their supporter (while their match is open)."""
    if holds_role_in(user, STAFF_ROLES, support_request.program_id) or is_staff_tied_to(
        user, support_request
    ):
        return True
    return support_request.matches.filter(
        supporter__user_id=user.pk, closed_at__isnull=True
    ).exists()


def is_staff_tied_to(user: User, support_request: SupportRequest) -> bool:
    """Whether the user sees the request as a coordinator or administrator tied to sites
    (ADR 0013): they work it like the central team, but for matching, which stays central."""
    return (
        SupportRequest.objects.filter(pk=support_request.pk)
        .filter(in_site_scope(user, STAFF_ROLES, site="site_id"))
        .exists()
    )
