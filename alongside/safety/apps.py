from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from alongside.intake.hooks import on_call_taken_page, on_crisis_signalled
from alongside.matches.hooks import on_coordinator_needed


class SafetyConfig(AppConfig):
    name = "alongside.safety"
    label = "safety"
    verbose_name = _("Safety")

    def ready(self) -> None:
        from alongside.safety.request_hooks import call_taken_panel, escalate_crisis
        from alongside.safety.services.escalations import raise_escalation

        # A contact the supporter marks as needing a coordinator becomes an escalation.
        on_coordinator_needed(raise_escalation)
        # A new request whose crisis screening signals a crisis becomes an urgent escalation,
        # shown on the page after the call (intake cannot import safety).
        on_crisis_signalled(escalate_crisis)
        on_call_taken_page(call_taken_panel)
