"""What a match's readers reach through roles tied to sites and through supervision (ADR 0013):
the parts of `Match.objects.visible_to` that read the request and the supporter."""

import operator
from functools import reduce

from django.db.models import Model, Q

from alongside.accounts.models import STAFF_ROLES, User
from alongside.intake.models import SupportRequest
from alongside.programs.queries import from_own_sites, site_scope_parts
from alongside.supporters.models import Supporter
from alongside.supporters.models.profile import supervision_parts


def staff_tied_scope(user: User) -> Q:
    """The matches of the requests the user's staff roles tied to sites reach."""
    return _any_of(
        "request_id", SupportRequest, site_scope_parts(user, STAFF_ROLES, site="site_id")
    )


def supervised_matches(user: User) -> Q:
    """The matches of a supervisor's supervisees, but those whose person the employer-blind
    rule hides from them."""
    hidden = SupportRequest.objects.filter(from_own_sites(user, site="site_id")).values("pk")
    return _any_of("supporter_id", Supporter, supervision_parts(user)) & ~Q(request_id__in=hidden)


def _any_of(field: str, model: type[Model], parts: tuple[Q, ...]) -> Q:
    """Rows whose `field` is one of `model`'s rows meeting any of `parts`, one subquery each:
    each is answered from an index, where one subquery of them all would scan the table."""
    return reduce(
        operator.or_,
        (Q(**{f"{field}__in": model._default_manager.filter(part).values("pk")}) for part in parts),
    )
