"""Bringing a supporter back from a break (offboarding them is matches' page: it hands over
their open matches, matches/offboarding_views.py)."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from alongside.accounts.access import AuthenticatedRequest, signed_in
from alongside.accounts.models import STAFF_ROLES
from alongside.core.errors import DomainError
from alongside.supporters.models import SupporterStatus
from alongside.supporters.permissions import get_supporter_for
from alongside.supporters.services import offboarding


@signed_in(*STAFF_ROLES)
@require_POST
def return_from_break(request: AuthenticatedRequest, supporter_id: int) -> HttpResponse:
    supporter = get_supporter_for(request.user, supporter_id, write=True)
    try:
        supporter = offboarding.return_from_break(supporter=supporter, by=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        if supporter.status == SupporterStatus.ACTIVE:
            messages.success(
                request, _("Welcome back: %(name)s is active again.") % {"name": supporter}
            )
        else:
            messages.warning(
                request,
                _("%(name)s is back, but paused from new matches until what is missing is done.")
                % {"name": supporter},
            )
    return redirect("supporters:detail", supporter_id=supporter.pk)
