from allauth.account.adapter import DefaultAccountAdapter
from django.http import HttpRequest


class InvitationOnlyAccountAdapter(DefaultAccountAdapter):  # type: ignore[misc]
    """Accounts are created by coordinators and administrators, never by open sign-up."""

    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return False
