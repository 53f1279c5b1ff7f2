from django.db.models import Q
from django.shortcuts import get_object_or_404

from alongside.accounts.models import STAFF_ROLES, User
from alongside.programs.queries import program_ids_for
from alongside.supporters.models import Application, Supporter
from alongside.supporters.queries import SUPERVISING_ROLES


def get_supporter_for(user: User, supporter_id: int, *, write: bool = False) -> Supporter:
    """A supporter in the user's programs (404 otherwise); only program staff may act."""
    queryset = Supporter.objects.filter(program_id__in=program_ids_for(user, STAFF_ROLES))
    return get_object_or_404(queryset.select_related("program", "user"), pk=supporter_id)


def get_application_for(user: User, application_id: int) -> Application:
    """An application in the user's programs (404 otherwise)."""
    return get_object_or_404(
        Application.objects.visible_to(user).select_related("program", "experience", "supporter"),
        pk=application_id,
    )


def get_profile_for(user: User, supporter_id: int) -> Supporter:
    """A supporter's profile: their own, or one in a program the user coordinates (404 else)."""
    queryset = Supporter.objects.filter(
        Q(user_id=user.pk) | Q(program_id__in=program_ids_for(user, STAFF_ROLES))
    )
    return get_object_or_404(queryset.select_related("program", "user"), pk=supporter_id)


def get_supervisee_for(user: User, supporter_id: int) -> Supporter:
    """A supporter of a program the user supervises or coordinates (404 otherwise)."""
    queryset = Supporter.objects.filter(program_id__in=program_ids_for(user, SUPERVISING_ROLES))
    return get_object_or_404(queryset.select_related("program", "user"), pk=supporter_id)
