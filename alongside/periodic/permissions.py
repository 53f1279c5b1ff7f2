from django.http import Http404
from django.shortcuts import get_object_or_404

from alongside.accounts.models import Role, User
from alongside.accounts.queries import roles_of
from alongside.periodic.models import ItemFailure


def get_failure_for(user: User, failure_id: int) -> ItemFailure:
    """A failing item of a periodic job: administrators only (404 otherwise)."""
    if Role.ADMINISTRATOR not in roles_of(user):
        raise Http404
    return get_object_or_404(ItemFailure, pk=failure_id)
