from typing import Any

from allauth.account import forms as allauth_forms
from django import forms
from django.conf import settings
from django.contrib.auth.forms import SetPasswordForm
from django.utils.translation import gettext_lazy as _

from alongside.accounts.models import User
from alongside.core.forms import AccessibleFormMixin, time_zone_choices


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


class AccountSettingsForm(AccessibleFormMixin, forms.Form):
    """A person's own settings: the time zone their pages and messages show times in, and the
    language of their messages."""

    time_zone = forms.ChoiceField(
        label=_("Your time zone"),
        required=False,
        error_messages={
            "invalid_choice": _(
                "“%(value)s” is not a time zone we know. Choose the city nearest you."
            )
        },
    )
    language = forms.ChoiceField(
        label=_("Your language"),
        help_text=_("For your pages, wherever you sign in, and the messages we send you."),
        choices=settings.LANGUAGES,
        error_messages={"invalid_choice": _("Choose English or French.")},
    )

    def __init__(self, *args: Any, program_zone: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["time_zone"]
        assert isinstance(field, forms.ChoiceField)
        (_empty, *zones) = time_zone_choices()
        unset = (
            _("Your program's: %(zone)s") % {"zone": program_zone.replace("_", " ")}
            if program_zone
            else _("The site's: %(zone)s") % {"zone": settings.TIME_ZONE}
        )
        field.choices = [("", unset), *zones]
        field.help_text = _(
            "Times on every page, in e-mails and text messages are shown in this zone."
        )
