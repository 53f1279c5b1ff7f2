from django.shortcuts import get_object_or_404

from alongside.accounts.models import User
from alongside.supporters.models import Application, Supporter


def get_supporter_for(user: User, supporter_id: int, *, write: bool = False) -> Supporter:
    """A supporter in the user's programs (404 otherwise); only program staff may act."""
    queryset = Supporter.objects.staffed_by(user)
    return get_object_or_404(queryset.select_related("program", "user"), pk=supporter_id)


def get_application_for(user: User, application_id: int) -> Application:
    """An application in the user's programs (404 otherwise)."""
    return get_object_or_404(
        Application.objects.visible_to(user).select_related("program", "experience", "supporter"),
        pk=application_id,
    )


def get_profile_for(user: User, supporter_id: int) -> Supporter:
    """A supporter's profile: their own, or one the user manages as staff (404 else)."""
    queryset = Supporter.objects.staffed_by(user) | Supporter.objects.filter(user_id=user.pk)
    return get_object_or_404(queryset.select_related("program", "user"), pk=supporter_id)


def get_supervisee_for(user: User, supporter_id: int) -> Supporter:
    """A supporter the user supervises or coordinates (404 otherwise)."""
    queryset = Supporter.objects.looked_after_by(user)
    return get_object_or_404(queryset.select_related("program", "user"), pk=supporter_id)
