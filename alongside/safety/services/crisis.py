"""Crisis screening: an urgent escalation for a request whose screening signalled a crisis."""

from django.db import transaction
from django.utils.translation import gettext as _

from alongside.intake.models import SupportRequest
from alongside.safety.models import Escalation, Urgency
from alongside.safety.queries import crisis_escalation_for
from alongside.safety.services.escalations import raise_escalation


@transaction.atomic
def raise_crisis_escalation(
    *, support_request: SupportRequest, answers: list[tuple[str, str]]
) -> Escalation:
    """An urgent escalation for a request whose crisis screening signalled a crisis.

    One per request: sending the same form twice raises no second escalation.
    """
    # Lock the request so two copies of one form cannot both raise one.
    SupportRequest.objects.select_for_update().filter(pk=support_request.pk).first()
    existing = crisis_escalation_for(support_request)
    if existing is not None:
        return existing
    lines = [
        _("The person's answers to the crisis screening (%(way_in)s):")
        % {"way_in": support_request.get_source_display()}
    ]
    lines += [f"- {question} {answer}" for question, answer in answers]
    return raise_escalation(
        program=support_request.program,
        raised_by=None,
        urgency=Urgency.URGENT,
        what_happened="\n".join(lines),
        support_request=support_request,
    )
