"""Requests for support taken on the phone, from a partner's intake system: the call page's
form and service (`intake.services.take_phone_request`), consent as the page requires it."""

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Router
from ninja.params.functions import Header, Path

from alongside.api.auth import Caller, caller_for, documented_scope
from alongside.api.idempotency import answered_once, submission_token
from alongside.api.models import Scope
from alongside.api.problems import FieldError, ProblemError, responses
from alongside.api.write.common import form_problem, not_found
from alongside.api.write.schemas import MOST_ID, PhoneRequestIn, RequestOut
from alongside.intake import hooks
from alongside.intake.forms.phone import PhoneRequestForm
from alongside.intake.services import take_phone_request
from alongside.programs.models import Program
from alongside.programs.queries import programs_staffed_by

requests_write_router = Router(tags=["requests"])

# The form's fields, as the API names them.
_FIELD_NAMES = {
    "experience": "experience_id",
    "site": "site_id",
    "consent": "consent.to_support",
}


@requests_write_router.post(
    "/{program_id}/requests",
    response=responses({201: RequestOut}, 400, 404, 409),
    openapi_extra=documented_scope(Scope.WRITE_REQUESTS),
)
def create_phone_request(
    request: HttpRequest,
    payload: PhoneRequestIn,
    program_id: int = Path(..., ge=1, le=MOST_ID),
    idempotency_key: str = Header(..., alias="Idempotency-Key"),
) -> HttpResponse:
    """Record a request for support taken on the phone, with the person's consent, as on the
    "Take a call" page: it joins the program's waiting requests, its coordinators are told, and
    a crisis the screening signals is escalated. Program staff only; a token of another
    program gets 404."""
    caller = caller_for(request, Scope.WRITE_REQUESTS)
    program = _program_for(caller, program_id)
    return answered_once(
        caller=caller,
        key=idempotency_key,
        operation=f"POST /programs/{program.pk}/requests",
        payload=payload,
        answer=lambda: (201, _take(caller, program, payload, idempotency_key)),
    )


def _program_for(caller: Caller, program_id: int) -> Program:
    program = programs_staffed_by(caller.user).filter(pk=program_id).first()
    if program is None or not caller.reaches_program(program.pk):
        raise not_found()
    if not (program.is_active and program.accepts_phone_requests):
        raise ProblemError(409, _("This program does not take requests by phone."))
    return program


def _take(caller: Caller, program: Program, payload: PhoneRequestIn, key: str) -> RequestOut:
    form = PhoneRequestForm(
        _form_data(payload, str(submission_token(caller, key.strip()))), program=program
    )
    asked = {wording.purpose for wording in form.also_asked}
    unknown = [purpose for purpose in payload.consent.also if purpose not in asked]
    if not form.is_valid() or unknown:
        problem = form_problem(form, _FIELD_NAMES | _crisis_names(form))
        problem.errors = [
            *(problem.errors or []),
            *(
                FieldError(
                    field="consent.also",
                    message=_("This program does not ask for this consent: %(purpose)s.")
                    % {"purpose": purpose},
                )
                for purpose in unknown
            ),
        ]
        raise problem
    support_request = take_phone_request(
        program=program, taken_by=caller.user, **form.service_arguments()
    )
    crisis_answers = form.crisis_answers()
    if crisis_answers:
        hooks.crisis_signalled(support_request, crisis_answers)
    return RequestOut(
        id=support_request.pk,
        program_id=program.pk,
        source=support_request.source,
        status=support_request.status,
        received_at=support_request.received_at,
        due_at=support_request.due_at,
        crisis_signalled=bool(crisis_answers),
    )


def _crisis_names(form: PhoneRequestForm) -> dict[str, str]:
    return {
        name: f"crisis_answers.{question['key']}"
        for name, question in form.crisis_questions.items()
    }


def _form_data(payload: PhoneRequestIn, token: str) -> dict[str, Any]:
    """The answers as the call page's form takes them, so its checks and words apply."""
    data: dict[str, Any] = {
        "submission_token": token,
        "call_started_at": payload.call_started_at.isoformat(),
        "call_back_at": payload.call_back_at.isoformat() if payload.call_back_at else "",
        "best_times": payload.best_times,
        "first_name": payload.first_name,
        "email": payload.email,
        "phone": payload.phone,
        "contact_methods": payload.contact_methods,
        "language": payload.language,
        "experience": "" if payload.experience_id is None else str(payload.experience_id),
        "relationship": payload.relationship,
        "since_year": "" if payload.since_year is None else str(payload.since_year),
        "work_role": payload.work_role,
        "site": "" if payload.site_id is None else str(payload.site_id),
        "availability": payload.availability,
        "gender": payload.gender,
        "birth_year": "" if payload.birth_year is None else str(payload.birth_year),
        "wanted_gender": payload.wanted_gender,
        "about": payload.about,
        "preferences": payload.preferences,
        **{f"crisis_{key}": answer for key, answer in payload.crisis_answers.items()},
    }
    ticked = [
        ("wanted_gender_is_firm", payload.wanted_gender_is_firm),
        ("consent", payload.consent.to_support),
        *((f"consent_{purpose}", True) for purpose in payload.consent.also),
    ]
    return data | {name: "on" for name, value in ticked if value}
