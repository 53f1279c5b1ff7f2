"""What a match's readers reach through roles tied to sites and through supervision (ADR 0013):
the parts of `Match.objects.visible_to` that read the request and the supporter."""

import operator
from functools import reduce

from django.db.models import Model, Q

from alongside.accounts.models import STAFF_ROLES, User
from alongside.accounts.queries import ties_of
from alongside.intake.models import SupportRequest
from alongside.programs.queries import NOTHING, from_own_sites, site_scope_parts, tied_site_ids
from alongside.supporters.models import Supporter
from alongside.supporters.models.profile import supervision_parts


def staff_tied_scope(user: User) -> Q:
    """The matches of the requests the user's staff roles tied to sites reach."""
    return _any_of(
        "request_id", SupportRequest, site_scope_parts(user, STAFF_ROLES, site="site_id")
    )


def supporters_at_tied_sites(user: User) -> Q:
    """In an ordinary program, the matches of the supporters at the sites the user's staff
    roles are tied to."""
    if not ties_of(user) & STAFF_ROLES:
        return NOTHING
    at_sites = tied_site_ids(user, STAFF_ROLES, employer_blind=False)
    return Q(supporter_id__in=Supporter.objects.filter(site_id__in=at_sites).values("pk"))


def supervised_matches(user: User) -> Q:
    """The matches of a supervisor's supervisees, but those whose person the employer-blind
    rule hides from them."""
    supervised = _any_of("supporter_id", Supporter, supervision_parts(user))
    if not ties_of(user):
        return supervised
    hidden = SupportRequest.objects.filter(from_own_sites(user, site="site_id")).values("pk")
    return supervised & ~Q(request_id__in=hidden)


def _any_of(field: str, model: type[Model], parts: tuple[Q, ...]) -> Q:
    """Rows whose `field` is one of `model`'s rows meeting any of `parts`, one subquery each:
    each is answered from an index, where one subquery of them all would scan the table."""
    return reduce(
        operator.or_,
        (Q(**{f"{field}__in": model._default_manager.filter(part).values("pk")}) for part in parts),
        NOTHING,
    )
