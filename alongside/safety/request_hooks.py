"""Safety's part of a new request, registered with intake (below safety) in SafetyConfig.ready;
see alongside/intake/hooks.py."""

from typing import Any

from alongside.intake.models import SupportRequest
from alongside.safety.queries import crisis_escalation_for
from alongside.safety.services.crisis import raise_crisis_escalation


def escalate_crisis(support_request: SupportRequest, answers: list[tuple[str, str]]) -> None:
    """A new request whose crisis screening signalled a crisis becomes an urgent escalation."""
    raise_crisis_escalation(support_request=support_request, answers=answers)


def call_taken_panel(support_request: SupportRequest) -> dict[str, Any]:
    """The page after a call shows the urgent escalation the screening raised, if it did."""
    return {"crisis_escalation": crisis_escalation_for(support_request)}
