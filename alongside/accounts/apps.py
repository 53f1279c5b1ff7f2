from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from alongside.core.field_keys import register_secret_store


class AccountsConfig(AppConfig):
    name = "alongside.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from alongside.accounts.mfa import MFA_SECRETS
        from alongside.accounts.staff_sessions import start_session_clock

        # Django's own sign-in signal, so that every way in (the sign-in form, after the
        # second step; a test's force_login) starts the staff session's clocks.
        user_logged_in.connect(start_session_clock, dispatch_uid="alongside.session_clock")
        # The authenticator apps' secrets are encrypted with the field keys and rotate with them.
        register_secret_store(MFA_SECRETS)
