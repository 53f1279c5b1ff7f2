"""Requests for support from a partner's system: taken on the phone (a call centre's system),
through the call page's form and service (`intake.services.take_phone_request`); or made by
the person on a partner's form, through the public request form and its service
(`intake.services.submit_support_request`). Consent as the pages require it."""

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Router
from ninja.params.functions import Header, Path

from alongside.api.auth import Caller, caller_for, documented_scope
from alongside.api.idempotency import answered_once, submission_token
from alongside.api.models import Scope
from alongside.api.problems import FieldError, ProblemError, not_found, responses
from alongside.api.write.common import form_problem
from alongside.api.write.schemas import MOST_ID, PhoneRequestIn, RequestIn, RequestOut
from alongside.intake import hooks
from alongside.intake.forms.phone import PhoneRequestForm
from alongside.intake.forms.requests import SupportRequestForm
from alongside.intake.models import Source, SupportRequest
from alongside.intake.services import submit_support_request, take_phone_request
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
    "/{program_id}/requests/by-phone",
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
    program gets 404; a program that takes no calls, 409."""
    caller = caller_for(request, Scope.WRITE_REQUESTS)
    program = _program_for(caller, program_id, by_phone=True)

    def take(form: SupportRequestForm) -> SupportRequest:
        return take_phone_request(program=program, taken_by=caller.user, **form.service_arguments())

    return answered_once(
        caller=caller,
        key=idempotency_key,
        operation=f"POST /programs/{program.pk}/requests/by-phone",
        payload=payload,
        answer=lambda: (201, _take(caller, program, payload, idempotency_key, take)),
    )


@requests_write_router.post(
    "/{program_id}/requests/online",
    response=responses({201: RequestOut}, 400, 404, 409),
    openapi_extra=documented_scope(Scope.WRITE_REQUESTS),
)
def create_online_request(
    request: HttpRequest,
    payload: RequestIn,
    program_id: int = Path(..., ge=1, le=MOST_ID),
    idempotency_key: str = Header(..., alias="Idempotency-Key"),
) -> HttpResponse:
    """Record a request for support a person made on a partner's form (an employer's wellbeing
    portal, say), with their consent, as the program's own request form does: it joins the
    waiting requests, the coordinators are told, the person is thanked, and a crisis the
    screening signals is escalated. Program staff's tokens only; a program that takes no
    requests online, 409."""
    caller = caller_for(request, Scope.WRITE_REQUESTS)
    program = _program_for(caller, program_id, by_phone=False)

    def submit(form: SupportRequestForm) -> SupportRequest:
        return submit_support_request(
            program=program,
            source=Source.PUBLIC_FORM,
            entered_by=caller.user,
            **form.service_arguments(),
        )

    return answered_once(
        caller=caller,
        key=idempotency_key,
        operation=f"POST /programs/{program.pk}/requests/online",
        payload=payload,
        answer=lambda: (201, _take(caller, program, payload, idempotency_key, submit)),
    )


def _program_for(caller: Caller, program_id: int, *, by_phone: bool) -> Program:
    program = programs_staffed_by(caller.user).filter(pk=program_id).first()
    if program is None or not caller.reaches_program(program.pk):
        raise not_found()
    if not program.is_active:
        raise not_found()
    if by_phone and not program.accepts_phone_requests:
        raise ProblemError(409, _("This program does not take requests by phone."))
    if not by_phone and not program.accepts_public_requests:
        raise ProblemError(409, _("This program does not take requests online."))
    return program


def _take(
    caller: Caller,
    program: Program,
    payload: RequestIn,
    key: str,
    record: Callable[[SupportRequestForm], SupportRequest],
) -> RequestOut:
    form_class = PhoneRequestForm if isinstance(payload, PhoneRequestIn) else SupportRequestForm
    form = form_class(
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
    support_request = record(form)
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


def _crisis_names(form: SupportRequestForm) -> dict[str, str]:
    return {
        name: f"crisis_answers.{question['key']}"
        for name, question in form.crisis_questions.items()
    }


def _form_data(payload: RequestIn, token: str) -> dict[str, Any]:
    """The answers as the page's form takes them, so its checks and words apply."""
    data: dict[str, Any] = {
        "submission_token": token,
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
    if isinstance(payload, PhoneRequestIn):
        data |= {
            "call_started_at": payload.call_started_at.isoformat(),
            "call_back_at": payload.call_back_at.isoformat() if payload.call_back_at else "",
            "best_times": payload.best_times,
        }
    ticked = [
        ("wanted_gender_is_firm", payload.wanted_gender_is_firm),
        ("consent", payload.consent.to_support),
        *((f"consent_{purpose}", True) for purpose in payload.consent.also),
    ]
    return data | {name: "on" for name, value in ticked if value}
