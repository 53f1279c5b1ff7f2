from typing import Any

from allauth.account import forms as allauth_forms
from django.utils.translation import gettext_lazy as _

from alongside.core.forms import AccessibleFormMixin


class LoginForm(AccessibleFormMixin, allauth_forms.LoginForm):  # type: ignore[misc]
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["login"].label = _("E-mail address")
        # The page has its own "Forgot your password?" link.
        self.fields["password"].help_text = ""


class ResetPasswordForm(AccessibleFormMixin, allauth_forms.ResetPasswordForm):  # type: ignore[misc]
    pass
