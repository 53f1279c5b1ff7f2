"""The pages where a program's coordinators and administrators make, list and revoke the
program's API tokens (reached from the program's settings)."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from alongside.accounts.access import AuthenticatedRequest, signed_in
from alongside.accounts.models import STAFF_ROLES
from alongside.api.forms import TokenForm
from alongside.api.permissions import get_token_for
from alongside.api.queries import tokens_of
from alongside.api.tokens import issue_token, last_day_allowed, revoke_token
from alongside.core.confirm import Confirmation, confirmation_page
from alongside.core.errors import DomainError
from alongside.core.paging import page_of
from alongside.programs.permissions import get_program_for

TOKENS_PER_PAGE = 20


@signed_in(*STAFF_ROLES)
@require_GET
def token_list(request: AuthenticatedRequest, program_id: int) -> HttpResponse:
    program = get_program_for(request.user, program_id)
    return render(
        request,
        "api/tokens.html",
        {
            "program": program,
            "page": page_of(tokens_of(program), request, per_page=TOKENS_PER_PAGE),
            "now": timezone.now(),
        },
    )


@signed_in(*STAFF_ROLES)
@require_http_methods(["GET", "POST"])
@never_cache
def new_token(request: AuthenticatedRequest, program_id: int) -> HttpResponse:
    """GET: the form. POST: make the token and show it, once: the page is the only place its
    secret is ever written, and nothing keeps it (never cached)."""
    program = get_program_for(request.user, program_id)
    form = TokenForm(request.POST or None, last_day=last_day_allowed(program, timezone.now()))
    if form.is_valid():
        try:
            token, secret = issue_token(
                program=program, created_by=request.user, **form.cleaned_data
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            return render(
                request,
                "api/token_made.html",
                {"program": program, "token": token, "secret": secret},
            )
    return render(request, "api/token_new.html", {"program": program, "form": form})


@signed_in(*STAFF_ROLES)
@require_http_methods(["GET", "POST"])
def revoke(request: AuthenticatedRequest, token_id: int) -> HttpResponse:
    """GET: what revoking does, and the button. POST: revoke the token."""
    token = get_token_for(request.user, token_id)
    back = redirect("api_tokens:list", program_id=token.program_id)
    if request.method == "GET":
        return confirmation_page(
            request,
            Confirmation(
                title=_("Revoke the token “%(name)s”") % {"name": token.name},
                happens=[
                    _("The system using it is refused from its next call."),
                    _("It cannot be brought back; you can make a new token."),
                    _("Nobody is sent a message."),
                ],
                button=_("Revoke the token"),
                back_url=back.url,
                danger=True,
            ),
        )
    try:
        revoked = revoke_token(token=token, revoked_by=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        if revoked:
            messages.success(request, _("Token “%(name)s” revoked.") % {"name": token.name})
        else:
            messages.info(request, _("That token was already revoked."))
    return back
