from typing import Any

from allauth.account import forms as allauth_forms
from django.contrib.auth.forms import SetPasswordForm
from django.utils.translation import gettext_lazy as _

from alongside.accounts.models import User
from alongside.core.forms import AccessibleFormMixin


class LoginForm(AccessibleFormMixin, allauth_forms.LoginForm):  # type: ignore[misc]
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["login"].label = _("E-mail address")
        # The page has its own "Forgot your password?" link.
        self.fields["password"].help_text = ""


class ResetPasswordForm(AccessibleFormMixin, allauth_forms.ResetPasswordForm):  # type: ignore[misc]
    pass


class ChoosePasswordForm(AccessibleFormMixin, SetPasswordForm[User]):
    """An invited person's first password, checked by the installation's password rules."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].label = _("Choose a password")
        self.fields["new_password2"].label = _("Type it again")
        self.fields["new_password1"].widget.attrs["autocomplete"] = "new-password"
        self.fields["new_password2"].widget.attrs["autocomplete"] = "new-password"
