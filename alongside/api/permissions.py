from django.shortcuts import get_object_or_404

from alongside.accounts.models import STAFF_ROLES, User
from alongside.api.models import ApiToken
from alongside.programs.queries import program_ids_for


def get_token_for(user: User, token_id: int) -> ApiToken:
    """A token of a program the user coordinates or administers (404 otherwise)."""
    return get_object_or_404(
        ApiToken.objects.filter(program_id__in=program_ids_for(user, STAFF_ROLES)).select_related(
            "program"
        ),
        pk=token_id,
    )
