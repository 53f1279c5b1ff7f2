from typing import Any

from allauth.account import app_settings
from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from alongside.accounts.staff_sessions import signed_in_within
from alongside.core.addresses import client_address


class InvitationOnlyAccountAdapter(DefaultAccountAdapter):  # type: ignore[misc]
    """Accounts are created by coordinators and administrators, never by open sign-up."""

    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return False

    def is_reauthentication_required(self, *, app: str, **kwargs: Any) -> bool:
        """Setting up two-step sign-in or reading one's recovery codes within a few minutes of
        signing in does not ask for the password again: it was just typed. Staff set up their
        authenticator app right after their first sign-in."""
        if not super().is_reauthentication_required(app=app, **kwargs):
            return False
        if app != "allauth.mfa" or context.request is None:
            return True
        return not signed_in_within(context.request, seconds=app_settings.REAUTHENTICATION_TIMEOUT)

    def get_client_ip(self, request: HttpRequest) -> str:
        """allauth's throttles see the same client address as the lockout and the audit."""
        address = client_address(request)
        if not address:
            raise PermissionDenied("Unable to determine the client's address.")
        return address
