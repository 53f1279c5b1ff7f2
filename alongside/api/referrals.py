"""Referrals from a partner system (a hospital's referral system): the referral page's form and
service, through the API, with the client's consent and an Idempotency-Key."""

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Router
from ninja.params.functions import Header, Path

from alongside.accounts.models import STAFF_ROLES, Role
from alongside.api.auth import Caller, caller_for, documented_scope
from alongside.api.idempotency import answered_once, submission_token
from alongside.api.models import Scope
from alongside.api.problems import FieldError, ProblemError, not_found, responses
from alongside.api.schemas import ReferralIn, ReferralOut
from alongside.intake.referrals import refer_client
from alongside.programs.models import Program
from alongside.programs.queries import holds_role_in
from alongside.referrals.forms import GOAL_FIELDS, ReferralForm

referrals_router = Router(tags=["referrals"])

# The form's fields, as the API names them.
_FIELD_NAMES = {
    "experience": "experience_id",
    "site": "site_id",
    "consent_to_share": "consent.to_share",
    **{name: f"goals.{place}" for place, name in enumerate(GOAL_FIELDS)},
}


@referrals_router.post(
    "/{program_id}/referrals",
    response=responses({201: ReferralOut}, 400, 404, 409),
    openapi_extra=documented_scope(Scope.WRITE_REFERRALS),
)
def create_referral(
    request: HttpRequest,
    payload: ReferralIn,
    program_id: int = Path(..., ge=1, le=2**63 - 1),
    idempotency_key: str = Header(..., alias="Idempotency-Key"),
) -> HttpResponse:
    """Refer a client, with their consent, to the program: it joins the program's waiting
    requests and its coordinators are told, as for a referral made on the referral page.
    A token of another program gets 404: for it, this program does not exist."""
    caller = caller_for(request, Scope.WRITE_REFERRALS)
    program = _program_for(caller, program_id)
    return answered_once(
        caller=caller,
        key=idempotency_key,
        operation=f"POST /programs/{program.pk}/referrals",
        payload=payload,
        answer=lambda: (201, _refer(caller, program, payload, idempotency_key)),
    )


def _program_for(caller: Caller, program_id: int) -> Program:
    program = Program.objects.filter(pk=program_id, is_active=True).first()
    if (
        program is None
        or not caller.reaches_program(program.pk)
        or not holds_role_in(caller.user, {Role.REFERRER, *STAFF_ROLES}, program.pk)
    ):
        raise not_found()
    return program


def _refer(caller: Caller, program: Program, payload: ReferralIn, key: str) -> ReferralOut:
    form = ReferralForm(_form_data(payload, submission_token(caller, key.strip())), program=program)
    if not form.is_valid():
        raise ProblemError(
            422,
            _("Some values are not valid."),
            errors=[
                FieldError(field=_FIELD_NAMES.get(name, name), message=str(message))
                for name, messages in form.errors.items()
                for message in messages
            ],
        )
    support_request = refer_client(
        program=program,
        referrer=caller.user,
        by_partner=caller.token is not None,
        **form.service_arguments(),
    )
    return ReferralOut(
        id=support_request.pk,
        program_id=program.pk,
        status=support_request.status,
        received_at=support_request.received_at,
        due_at=support_request.due_at,
    )


def _form_data(payload: ReferralIn, token: Any) -> dict[str, Any]:
    """The answers as the referral page's form takes them, so its checks and words apply."""
    goals = list(payload.goals)
    return {
        "submission_token": str(token),
        "first_name": payload.first_name,
        "last_name": payload.last_name,
        "preferred_name": payload.preferred_name,
        "language": payload.language,
        "contact_methods": payload.contact_methods,
        "phone": payload.phone,
        "email": payload.email,
        "best_times": payload.best_times,
        "experience": "" if payload.experience_id is None else str(payload.experience_id),
        "site": "" if payload.site_id is None else str(payload.site_id),
        **{
            name: goals[place] if place < len(goals) else ""
            for place, name in enumerate(GOAL_FIELDS)
        },
        "referrer_may_know_who": payload.consent.referrer_may_know_who,
        "summary_to_referrer": payload.consent.summary_to_referrer,
        "consent_to_share": payload.consent.to_share,
    }
