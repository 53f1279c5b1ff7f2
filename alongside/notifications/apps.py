from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from alongside.accounts.hooks import on_invitation


class NotificationsConfig(AppConfig):
    name = "alongside.notifications"
    label = "notifications"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        from anymail.signals import tracking

        from alongside.core.metrics import on_scrape
        from alongside.notifications.channels import CHANNELS
        from alongside.notifications.invitations import send_invitation
        from alongside.notifications.metrics import outbox_by_state
        from alongside.notifications.models import Channel
        from alongside.notifications.webhooks.delivery import WebhookChannel

        # The invitation e-mail of accounts.services.invite_person (accounts cannot send).
        on_invitation(send_invitation)
        # The outbox's messages by state, read at each scrape of /health/metrics (ADR 0011).
        on_scrape(outbox_by_state)
        # Webhooks ride the outbox as a channel of their own (webhooks/delivery.py).
        CHANNELS[Channel.WEBHOOK] = WebhookChannel()
        # E-mail providers' bounces, complaints and deliveries, from anymail's webhooks.
        from alongside.notifications.providers.email_events import on_tracking_event

        tracking.connect(on_tracking_event, dispatch_uid="alongside.notifications.email_events")
