"""Contacts logged on a match, for a supporter's app: the "Log a contact" page's form and
service (`matches.services.contacts.log_contact`), by whoever may log on that match there."""

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from ninja import Router
from ninja.params.functions import Header, Path

from alongside.api.auth import Caller, caller_for, documented_scope
from alongside.api.idempotency import answered_once
from alongside.api.models import Scope
from alongside.api.problems import not_found, responses
from alongside.api.write.common import form_problem
from alongside.api.write.schemas import MOST_ID, ContactIn, ContactOut
from alongside.matches.forms import ContactLogForm
from alongside.matches.models import Match
from alongside.matches.permissions import get_match_for
from alongside.matches.services.contacts import log_contact

contacts_router = Router(tags=["matches"])

_FIELD_NAMES = {"resources": "resource_ids"}


@contacts_router.post(
    "/{match_id}/contacts",
    response=responses({201: ContactOut}, 400, 404, 409),
    openapi_extra=documented_scope(Scope.WRITE_CONTACTS),
)
def create_contact(
    request: HttpRequest,
    payload: ContactIn,
    match_id: int = Path(..., ge=1, le=MOST_ID),
    idempotency_key: str = Header(..., alias="Idempotency-Key"),
) -> HttpResponse:
    """Log a contact (or an attempt) with the person on a match, as on the "Log a contact"
    page: its supporter logs on their own matches, program staff on their programs' matches.
    Needing the coordinator raises an escalation, as on the page. A closed match is a 422."""
    caller = caller_for(request, Scope.WRITE_CONTACTS)
    match = _match_for(caller, match_id)
    return answered_once(
        caller=caller,
        key=idempotency_key,
        operation=f"POST /matches/{match.pk}/contacts",
        payload=payload,
        answer=lambda: (201, _log(caller, match, payload)),
    )


def _match_for(caller: Caller, match_id: int) -> Match:
    match = get_match_for(caller.user, match_id, write=True)
    if not caller.reaches_program(match.program_id):
        raise not_found()
    return match


def _log(caller: Caller, match: Match, payload: ContactIn) -> ContactOut:
    form = ContactLogForm(_form_data(payload), match=match)
    # A time typed without an offset is on the program's clock.
    with timezone.override(match.program.calendar.zone):
        valid = form.is_valid()
    if not valid:
        raise form_problem(form, _FIELD_NAMES)
    contact = log_contact(match=match, logged_by=caller.user, **form.cleaned_data)
    return ContactOut(
        id=contact.pk,
        match_id=match.pk,
        occurred_at=contact.occurred_at,
        was_made=contact.was_made,
        minutes=contact.minutes,
        method=contact.method,
        needs_coordinator=contact.needs_coordinator,
    )


def _form_data(payload: ContactIn) -> dict[str, Any]:
    """The answers as the page's form takes them, so its checks and words apply."""
    data: dict[str, Any] = {
        "occurred_at": payload.occurred_at.isoformat(),
        "was_made": "yes" if payload.was_made else "no",
        "minutes": str(payload.minutes),
        "method": payload.method,
        "support_types": payload.support_types,
        "note": payload.note,
        "resources": [str(pk) for pk in payload.resource_ids],
        "follow_up_on": payload.follow_up_on.isoformat() if payload.follow_up_on else "",
        "follow_up_what": payload.follow_up_what,
        "what_happened": payload.what_happened,
    }
    ticked = [("needs_coordinator", payload.needs_coordinator), ("is_urgent", payload.is_urgent)]
    return data | {name: "on" for name, value in ticked if value}
