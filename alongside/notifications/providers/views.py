"""The providers' webhooks (e-mail events, Twilio's status callbacks) and the coordinators'
page of undeliverable addresses."""

import base64
import binascii
import logging
from collections.abc import Callable

from anymail import urls as anymail_urls
from anymail.exceptions import AnymailError
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import SuspiciousOperation
from django.core.paginator import Paginator
from django.db import DatabaseError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from alongside.accounts.access import AuthenticatedRequest, signed_in
from alongside.core.access import public
from alongside.core.confirm import Confirmation, confirmation_page
from alongside.notifications.models import UndeliverableAddress
from alongside.notifications.permissions import link_opens_for
from alongside.notifications.providers import services
from alongside.notifications.providers.permissions import get_undeliverable_address_for
from alongside.notifications.providers.queries import STAFF, undeliverable_addresses_visible_to
from alongside.notifications.providers.sms_status import is_signed_by_twilio, record_sms_status
from alongside.notifications.services import NotificationError

logger = logging.getLogger(__name__)
ADDRESSES_PER_PAGE = 50

# Anymail's tracking webhook of each ESP it supports, by the ESP's name ("postmark").
TRACKING_VIEWS: dict[str, Callable[..., HttpResponse]] = {
    str(pattern.name).removesuffix("_tracking_webhook"): pattern.callback
    for pattern in anymail_urls.urlpatterns
    if str(getattr(pattern, "name", "")).endswith("_tracking_webhook")
}


@public
@csrf_exempt
def email_events(request: HttpRequest, esp: str) -> HttpResponse:
    """An ESP's tracking webhook, handed to anymail's own view for that ESP once its basic-auth
    secret is right: 401 without it, 400 for a body that cannot be read, never a 500."""
    view = TRACKING_VIEWS.get(esp)
    secret = str(settings.ANYMAIL.get("WEBHOOK_SECRET", ""))
    if view is None or not secret:
        raise Http404
    if not _basic_auth_is(request, secret):
        response = HttpResponse(status=401)
        response["WWW-Authenticate"] = 'Basic realm="alongside"'
        return response
    try:
        return view(request)
    except DatabaseError:
        raise  # a 500: the ESP sends the event again later
    except (AnymailError, SuspiciousOperation, ValueError, LookupError, TypeError) as error:
        logger.warning("E-mail event from %s not read: %s.", esp, type(error).__name__)
        return HttpResponse(status=400)


def _basic_auth_is(request: HttpRequest, secret: str) -> bool:
    kind, _space, encoded = request.headers.get("Authorization", "").partition(" ")
    if kind.lower() != "basic":
        return False
    try:
        given = base64.b64decode(encoded, validate=True).decode()
    except (binascii.Error, UnicodeDecodeError):
        return False
    return constant_time_compare(given, secret)


@public
@csrf_exempt
@require_POST
def sms_status(request: HttpRequest) -> HttpResponse:
    """Twilio's report of a text message's delivery; 403 unless Twilio signed it."""
    url = settings.SITE_URL + request.get_full_path()
    signature = request.headers.get("X-Twilio-Signature", "")
    if not is_signed_by_twilio(url, request.POST.dict(), signature):
        return HttpResponse(status=403)
    record_sms_status(
        sid=request.POST.get("MessageSid", ""),
        status=request.POST.get("MessageStatus", ""),
        error_code=request.POST.get("ErrorCode", ""),
    )
    return HttpResponse(status=204)


@signed_in(*STAFF)
@require_GET
def undeliverable(request: AuthenticatedRequest) -> HttpResponse:
    """The addresses nothing is sent to, until a coordinator clears them."""
    paginator = Paginator(undeliverable_addresses_visible_to(request.user), ADDRESSES_PER_PAGE)
    page = paginator.get_page(request.GET.get("page"))
    rows = [
        # Only a page the viewer may open: the roles of the mark's finder are not theirs.
        (mark, who(mark), masked(str(mark.address)), _opens(request, mark.person_link))
        for mark in page.object_list
    ]
    return render(request, "notifications/undeliverable.html", {"page": page, "rows": rows})


@signed_in(*STAFF)
@require_http_methods(["GET", "POST"])
def clear_undeliverable(request: AuthenticatedRequest, mark_id: int) -> HttpResponse:
    """GET: what clearing does, and the button. POST: clear the mark (audited)."""
    mark = get_undeliverable_address_for(request.user, mark_id)
    back = reverse("notifications:undeliverable")
    if request.method == "GET":
        return confirmation_page(request, _clear_confirmation(mark, back))
    try:
        services.clear_undeliverable(mark=mark, actor=request.user)
    except NotificationError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Cleared: messages will be sent to this address again."))
    return redirect(back)


def _clear_confirmation(mark: UndeliverableAddress, back: str) -> Confirmation:
    names = {"name": who(mark), "channel": mark.get_channel_display().lower()}
    return Confirmation(
        title=_("Send messages to %(name)s by %(channel)s again?") % names,
        happens=[
            _("New messages go to the address again; the undelivered ones can be sent again."),
            _("Clear it once the person has given a new address, or the problem is fixed."),
        ],
        button=_("Clear the mark"),
        back_url=back,
    )


def who(mark: UndeliverableAddress) -> str:
    return mark.recipient.display_name if mark.recipient else _("A person without an account")


def _opens(request: AuthenticatedRequest, link: str) -> str:
    return link if link and link_opens_for(request.user, link) else ""


def masked(address: str) -> str:
    """Enough of an address to tell which one it is, not to write to it: "s…@example.org",
    "…0123"."""
    user, at, domain = address.partition("@")
    if at:
        return f"{user[:1]}…@{domain}"
    return f"…{address[-4:]}"
