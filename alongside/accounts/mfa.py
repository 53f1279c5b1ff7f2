"""Two-step sign-in (allauth MFA): who must use it, and how its pages and forms read here.

Administrators, coordinators and supervisors see people's requests, notes and crisis details, so
a password alone is not enough for them: they sign in with an authenticator app (TOTP) and keep
recovery codes. Supporters and referrers may turn it on too; nobody forces them.
"""

from typing import Any

from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.base import forms as base_forms
from allauth.mfa.models import Authenticator
from allauth.mfa.totp import forms as totp_forms
from django.utils.translation import gettext_lazy as _

from alongside.accounts.models import Role, User
from alongside.accounts.queries import roles_of
from alongside.core.forms import AccessibleFormMixin

MFA_ROLES = frozenset({Role.ADMINISTRATOR, Role.COORDINATOR, Role.SUPERVISOR})


def must_use_mfa(user: User) -> bool:
    """Administrators (superusers and Django staff among them), coordinators and supervisors."""
    return user.is_staff or bool(roles_of(user) & MFA_ROLES)


def has_authenticator_app(user: User) -> bool:
    return bool(
        Authenticator.objects.filter(user_id=user.pk, type=Authenticator.Type.TOTP).exists()
    )


class StaffMFAAdapter(DefaultMFAAdapter):  # type: ignore[misc]
    """Staff cannot turn their authenticator app off; an administrator can reset it."""

    error_messages = {
        **DefaultMFAAdapter.error_messages,
        "cannot_delete_authenticator": _(
            "Coordinators, supervisors and administrators must keep two-step sign-in. "
            "If you have a new phone, ask an administrator to reset your authenticator app."
        ),
        "incorrect_code": _(
            "That code did not work. Type the code your app shows now; it changes every 30 seconds."
        ),
    }

    def can_delete_authenticator(self, authenticator: Authenticator) -> bool:
        return not must_use_mfa(authenticator.user)


class ActivateTOTPForm(AccessibleFormMixin, totp_forms.ActivateTOTPForm):  # type: ignore[misc]
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        code = self.fields["code"]
        code.label = _("The 6-digit code your app shows")
        code.widget.attrs.pop("placeholder", None)
        code.widget.attrs["inputmode"] = "numeric"


class AuthenticateForm(AccessibleFormMixin, base_forms.AuthenticateForm):  # type: ignore[misc]
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        code = self.fields["code"]
        code.label = _("Code from your authenticator app")
        code.help_text = _("The 6 digits your app shows now. Lost your phone? Use a recovery code.")
        code.widget.attrs.pop("placeholder", None)
        code.widget.attrs["inputmode"] = "numeric"
