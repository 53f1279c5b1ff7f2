"""What a match's readers reach through roles tied to sites and through supervision (ADR 0013):
the parts of `Match.objects.visible_to` that read the request and the supporter."""

from django.db.models import Q

from alongside.accounts.models import STAFF_ROLES, User
from alongside.intake.models import SupportRequest
from alongside.programs.queries import from_own_sites, in_site_scope
from alongside.supporters.models import Supporter


def staff_tied_scope(user: User) -> Q:
    """The requests the user's staff roles tied to sites reach."""
    return in_site_scope(user, STAFF_ROLES, site="site_id")


def supervised_matches(user: User) -> Q:
    """The matches of a supervisor's supervisees, but those whose person the employer-blind
    rule hides from them."""
    return Q(supporter_id__in=Supporter.objects.supervised_by(user).values("pk")) & ~Q(
        request_id__in=SupportRequest.objects.filter(from_own_sites(user, site="site_id")).values(
            "pk"
        )
    )
