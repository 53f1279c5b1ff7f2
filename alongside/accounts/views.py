from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.i18n import set_language as set_pages_language

from alongside.accounts import services
from alongside.accounts.access import AuthenticatedRequest, signed_in
from alongside.accounts.forms import AccountSettingsForm, ChoosePasswordForm
from alongside.accounts.invitations import LinkState, open_link
from alongside.accounts.models import Role
from alongside.accounts.permissions import get_lockout_for
from alongside.accounts.queries import lockouts_visible_to, program_time_zone_of
from alongside.core.access import PublicRequest, public
from alongside.core.confirm import Confirmation, confirmation_page
from alongside.core.errors import DomainError

LOCKOUTS_PER_PAGE = 50


@signed_in(Role.ADMINISTRATOR)
@require_GET
def lockouts(request: AuthenticatedRequest) -> HttpResponse:
    page = Paginator(lockouts_visible_to(request.user), LOCKOUTS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(request, "accounts/lockouts.html", {"page": page})


@signed_in(Role.ADMINISTRATOR)
@require_http_methods(["GET", "POST"])
def lift_lockout(request: AuthenticatedRequest, attempt_id: int) -> HttpResponse:
    """GET: what lifting the lock lets happen, and the button. POST: lift it (once: a lifted
    lock is no longer found)."""
    attempt = get_lockout_for(request.user, attempt_id)
    if request.method == "GET":
        names = {"email": attempt.username or _("(none)"), "address": attempt.ip_address}
        return confirmation_page(
            request,
            Confirmation(
                title=_("Lift the lock on %(email)s?") % names,
                happens=[
                    _(
                        "Whoever types a password for %(email)s from %(address)s can try again "
                        "at once, without waiting."
                    )
                    % names,
                    _(
                        "Lift it only when you know it is the person, for example after they "
                        "called you: many wrong passwords can be someone guessing."
                    ),
                    _("Nobody is sent a message."),
                ],
                button=_("Lift the lock"),
                back_url=reverse("accounts:lockouts"),
            ),
        )
    services.lift_lockout(attempt=attempt, lifted_by=request.user)
    messages.success(
        request, _("The lock is lifted: they can sign in again from that address now.")
    )
    return redirect("accounts:lockouts")


@public
@require_http_methods(["GET", "POST"])
def invitation(request: PublicRequest, account: str, token: str) -> HttpResponse:
    """The invitation's link: choose a password; an expired link offers a new one."""
    link = open_link(account, token)
    if link.user is None or link.state != LinkState.VALID:
        context = {"expired": link.state == LinkState.EXPIRED, "account": account, "token": token}
        return render(request, "accounts/invitation_closed.html", context)
    form = ChoosePasswordForm(link.user, request.POST or None)
    if form.is_valid():
        services.set_password_from_invitation(
            user=link.user,
            password=form.cleaned_data["new_password1"],
            language=get_language(),
        )
        messages.success(
            request, _("Your password is set. Sign in with your e-mail address and it.")
        )
        return redirect("account_login")
    return render(
        request,
        "accounts/invitation.html",
        {"form": form, "person": link.user, "account": account, "token": token},
    )


@public
def set_language(request: PublicRequest) -> HttpResponse:
    """The header's language buttons: the pages on this device, and for a signed-in person their
    account's language too, so their pages and messages follow it wherever they sign in."""
    response = set_pages_language(request)
    language = request.POST.get("language", "")
    user = request.user
    if request.method == "POST" and user.is_authenticated and language in dict(settings.LANGUAGES):
        services.choose_language(user=user, language=language)
    return response


@public
@require_POST
def renew_invitation(request: PublicRequest, account: str, token: str) -> HttpResponse:
    """ "Send me a new link", from an invitation whose link expired before it was used."""
    link = open_link(account, token)
    if link.user is None or link.state != LinkState.EXPIRED or link.issued_at is None:
        return redirect("accounts:invitation", account=account, token=token)
    services.renew_invitation(user=link.user, expired_link_issued_at=link.issued_at)
    return render(request, "accounts/invitation_renewed.html")


@signed_in()
@require_http_methods(["GET", "POST"])
def account_settings(request: AuthenticatedRequest) -> HttpResponse:
    """Everyone's own settings: the time zone they read times in, and their language."""
    user = request.user
    form = AccountSettingsForm(
        request.POST or None,
        initial={"time_zone": user.time_zone, "language": user.language},
        program_zone=program_time_zone_of(user),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.update_own_settings(user=user, **form.cleaned_data)
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Your settings are saved."))
            response = redirect("accounts:settings")
            # The pages on this device follow the language chosen, as the switcher would.
            response.set_cookie(
                settings.LANGUAGE_COOKIE_NAME,
                form.cleaned_data["language"],
                max_age=settings.LANGUAGE_COOKIE_AGE,
                secure=settings.LANGUAGE_COOKIE_SECURE,
                httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
                samesite=settings.LANGUAGE_COOKIE_SAMESITE,
            )
            return response
    return render(request, "accounts/settings.html", {"form": form, "now": timezone.now()})
