"""A supporter answers a matching proposal, from their app: the proposal page's form and
service (`matching.services.respond`). Only the supporter asked may, signed in: a token acts as
program staff (ADR 0015), who do not answer proposals on the page either."""

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Router
from ninja.params.functions import Header, Path

from alongside.api.auth import Caller
from alongside.api.idempotency import answered_once
from alongside.api.models import ApiToken
from alongside.api.problems import ProblemError, not_found, responses
from alongside.api.write.common import form_problem
from alongside.api.write.schemas import MOST_ID, ProposalAnswerIn, ProposalAnswerOut
from alongside.matching.forms import AnswerForm
from alongside.matching.models import Proposal, ProposalStatus
from alongside.matching.permissions import get_proposal_for
from alongside.matching.services import respond

proposals_router = Router(tags=["proposals"])


@proposals_router.post(
    "/{proposal_id}/answer",
    response=responses({201: ProposalAnswerOut}, 400, 404, 409),
    openapi_extra={"x-signed-in-only": True},
)
def answer_proposal(
    request: HttpRequest,
    payload: ProposalAnswerIn,
    proposal_id: int = Path(..., ge=1, le=MOST_ID),
    idempotency_key: str = Header(..., alias="Idempotency-Key"),
) -> HttpResponse:
    """Accept or decline a matching proposal, as on its page: the coordinators are told. Only
    the supporter asked, signed in; a token gets 403, anyone else 404. An answered or
    withdrawn proposal is a 409."""
    caller = _supporter(request)
    proposal = get_proposal_for(caller.user, proposal_id)
    if proposal.supporter.user_id != caller.user.pk:
        raise not_found()
    return answered_once(
        caller=caller,
        key=idempotency_key,
        operation=f"POST /proposals/{proposal.pk}/answer",
        payload=payload,
        answer=lambda: (201, _answer(caller, proposal, payload)),
    )


def _supporter(request: HttpRequest) -> Caller:
    auth: Any = getattr(request, "auth", None)
    if isinstance(auth, ApiToken):
        raise ProblemError(
            403, _("A proposal is answered by its supporter, signed in, not with a token.")
        )
    return Caller(user=request.user)  # type: ignore[arg-type]


def _answer(caller: Caller, proposal: Proposal, payload: ProposalAnswerIn) -> ProposalAnswerOut:
    if proposal.status != ProposalStatus.PROPOSED:
        raise ProblemError(409, _("This proposal is no longer waiting for an answer."))
    form = AnswerForm({"answer": "yes" if payload.accept else "no", "reason": payload.reason})
    if not form.is_valid():
        raise form_problem(form, {"answer": "accept"})
    answered = respond(
        proposal=proposal,
        supporter_user=caller.user,
        accept=form.cleaned_data["answer"],
        reason=form.cleaned_data["reason"],
    )
    return ProposalAnswerOut(
        id=answered.pk,
        status=answered.status,
        responded_at=answered.responded_at,  # type: ignore[arg-type]
    )
