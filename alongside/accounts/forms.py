from allauth.account import forms as allauth_forms

from alongside.core.forms import AccessibleFormMixin


class LoginForm(AccessibleFormMixin, allauth_forms.LoginForm):  # type: ignore[misc]
    pass


class ResetPasswordForm(AccessibleFormMixin, allauth_forms.ResetPasswordForm):  # type: ignore[misc]
    pass
