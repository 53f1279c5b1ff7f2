from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from alongside.matches.hooks import on_coordinator_needed


class SafetyConfig(AppConfig):
    name = "alongside.safety"
    label = "safety"
    verbose_name = _("Safety")

    def ready(self) -> None:
        from alongside.safety.services.escalations import raise_escalation

        # A contact the supporter marks as needing a coordinator becomes an escalation.
        on_coordinator_needed(raise_escalation)
