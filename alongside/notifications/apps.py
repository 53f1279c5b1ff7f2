from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from alongside.accounts.hooks import on_invitation


class NotificationsConfig(AppConfig):
    name = "alongside.notifications"
    label = "notifications"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        from alongside.notifications.invitations import send_invitation

        # The invitation e-mail of accounts.services.invite_person (accounts cannot send).
        on_invitation(send_invitation)
