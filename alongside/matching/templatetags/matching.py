from typing import Any

from django import template

from alongside.matching.models import Proposal, ProposalStatus
from alongside.supporters.models import Supporter

register = template.Library()


@register.inclusion_tag("matching/_waiting_for_answer.html")
def proposals_waiting_for(supporter: Supporter) -> dict[str, Any]:
    """The proposals a supporter has been sent and not answered yet, soonest due first."""
    waiting = Proposal.objects.filter(
        supporter=supporter, status=ProposalStatus.PROPOSED
    ).select_related("request__peer", "request__experience")
    return {"proposals": list(waiting.order_by("respond_by", "pk"))}
