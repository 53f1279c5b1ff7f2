"""A person's copy and their erasure, on their request, from their request's page: for the
program's staff (coordinators and administrators) only, each after the staff member confirms
it is them (allauth's reauthentication, as list exports ask), each audited with no personal
data."""

import secrets

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from alongside.accounts.access import AuthenticatedRequest, confirm_it_is_them, signed_in
from alongside.accounts.models import STAFF_ROLES
from alongside.core.audit import record_event
from alongside.core.errors import DomainError
from alongside.intake.models import SupportRequest
from alongside.intake.permissions import get_request_for
from alongside.privacy import erasure, person_copy
from alongside.privacy.erasure_forms import EraseForm
from alongside.programs.queries import holds_role_in

ask_who_it_is = confirm_it_is_them()
CODE_LETTERS = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I to misread
CODE_LENGTH = 6
FORMATS = {"json": "application/json", "pdf": "application/pdf"}


def _staff_request(request: AuthenticatedRequest, request_id: int) -> SupportRequest:
    """The request, for its program's staff only (404 for anyone else, as a legal hold)."""
    support_request = get_request_for(request.user, request_id, write=True)
    if not holds_role_in(request.user, STAFF_ROLES, support_request.program_id):
        raise Http404
    return support_request


@signed_in(*STAFF_ROLES)
@require_GET
def person_copy_page(request: AuthenticatedRequest, request_id: int) -> HttpResponse:
    """What the person's copy holds, and its two downloads."""
    support_request = _staff_request(request, request_id)
    return render(
        request,
        "privacy/person_copy.html",
        {
            "support_request": support_request,
            "back_url": reverse("intake:request_detail", args=[support_request.pk]),
        },
    )


@signed_in(*STAFF_ROLES)
@require_GET
def person_copy_download(
    request: AuthenticatedRequest, request_id: int, file_format: str
) -> HttpResponse:
    """The person's copy as JSON or PDF, audited (`privacy.copy.exported`: the format only).
    Who may have it is decided before anyone is asked to confirm it is them."""
    _staff_request(request, request_id)
    if file_format not in FORMATS:
        raise Http404
    return _download(request, request_id, file_format)


@ask_who_it_is
def _download(request: AuthenticatedRequest, request_id: int, file_format: str) -> HttpResponse:
    support_request = _staff_request(request, request_id)
    peer = support_request.peer
    content = person_copy.as_json(peer) if file_format == "json" else person_copy.as_pdf(peer)
    record_event(
        actor=request.user,
        action="privacy.copy.exported",
        target=peer,
        data={"format": file_format},
    )
    response = HttpResponse(content, content_type=FORMATS[file_format])
    name = f"person-{peer.pk}-copy.{file_format}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "no-store"
    return response


def _code(request: AuthenticatedRequest, peer_id: int) -> str:
    """The confirmation code for erasing this person, kept in the session until used."""
    key = f"privacy.erase.{peer_id}"
    code = request.session.get(key)
    if not code:
        code = "".join(secrets.choice(CODE_LETTERS) for _ in range(CODE_LENGTH))
        request.session[key] = code
    return str(code)


@signed_in(*STAFF_ROLES)
@require_http_methods(["GET", "POST"])
def erase_person(request: AuthenticatedRequest, request_id: int) -> HttpResponse:
    """What erasing the person would remove (counts, never a name), the code to type back; on
    a right code, the person is erased and the coordinator is back on the request's page.
    Who may is decided before anyone is asked to confirm it is them."""
    _staff_request(request, request_id)
    return _erase(request, request_id)


@ask_who_it_is
def _erase(request: AuthenticatedRequest, request_id: int) -> HttpResponse:
    support_request = _staff_request(request, request_id)
    peer = support_request.peer
    back_url = reverse("intake:request_detail", args=[support_request.pk])
    refusal = erasure.refusal(peer)
    code = _code(request, peer.pk)
    form = EraseForm(request.POST if request.method == "POST" else None, expected=code)
    if refusal is None and form.is_valid():
        try:
            erasure.erase_person(peer=peer, by=request.user)
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            request.session.pop(f"privacy.erase.{peer.pk}", None)
            messages.success(
                request,
                _("The person was erased: their personal data are gone, their counts remain."),
            )
            return redirect(back_url)
    return render(
        request,
        "privacy/erase_person.html",
        {
            "support_request": support_request,
            "held": erasure.what_goes(peer),
            "refusal": refusal,
            "code": code,
            "form": form,
            "back_url": back_url,
        },
    )
