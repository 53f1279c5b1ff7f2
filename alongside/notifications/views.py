from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from alongside.accounts.access import AuthenticatedRequest, signed_in
from alongside.accounts.models import Role
from alongside.core.confirm import Confirmation, confirmation_page
from alongside.core.htmx import render_in_place
from alongside.notifications import services
from alongside.notifications.models import Channel, OutboxMessage
from alongside.notifications.permissions import (
    get_inbox_message_for,
    get_undelivered_message_for,
    link_opens_for,
)
from alongside.notifications.queries import (
    inbox_count_for,
    inbox_for,
    undelivered_messages_visible_to,
)

MESSAGES_PER_PAGE = 50
INBOX_PAGE_SIZE = 20


@signed_in()
@require_GET
def inbox(request: AuthenticatedRequest) -> HttpResponse:
    """The person's own in-app messages: urgent alerts to acknowledge first, then newest first."""
    return render(request, "notifications/inbox.html", _inbox(request, request.GET.get("page")))


@signed_in()
@require_POST
def mark_read(request: AuthenticatedRequest, message_id: int) -> HttpResponse:
    return _on_inbox_message(request, message_id, services.mark_read, _("Marked as read."))


@signed_in()
@require_POST
def mark_all_read(request: AuthenticatedRequest) -> HttpResponse:
    count = services.mark_all_read(user=request.user)
    messages.success(
        request,
        ngettext("%(count)s message marked as read.", "%(count)s messages marked as read.", count)
        % {"count": count},
    )
    return _inbox_changed(request)


@signed_in()
@require_POST
def acknowledge(request: AuthenticatedRequest, message_id: int) -> HttpResponse:
    return _on_inbox_message(
        request,
        message_id,
        services.acknowledge_message,
        _("Acknowledged. The alert has left the top of your inbox."),
    )


def _on_inbox_message(
    request: AuthenticatedRequest,
    message_id: int,
    act: Callable[..., OutboxMessage],
    done: str,
) -> HttpResponse:
    """Do `act` to one of the person's inbox messages (read it, acknowledge it); then the inbox
    as it is now, in place, with `done` or the reason it could not be done."""
    message = get_inbox_message_for(request.user, message_id)
    try:
        act(message=message, user=request.user)
    except services.NotificationError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, done)
    return _inbox_changed(request)


@dataclass(frozen=True)
class InboxItem:
    message: OutboxMessage
    link: str  # empty when the person may not open the page it is about


def _inbox(request: AuthenticatedRequest, page_number: str | None) -> dict[str, object]:
    page = Paginator(inbox_for(request.user), INBOX_PAGE_SIZE).get_page(page_number)
    items = [
        # Only a link the person may open: their roles may have changed since it was sent.
        InboxItem(message, message.link if link_opens_for(request.user, message.link) else "")
        for message in page.object_list
    ]
    return {"page": page, "items": items, "count": inbox_count_for(request.user)}


def _inbox_changed(request: AuthenticatedRequest) -> HttpResponse:
    """In place, the inbox's page as it is now, and the header's count; else back to it."""
    page = request.POST.get("page", "")
    page = page if page.isdigit() else ""
    if not request.htmx:
        back = reverse("notifications:inbox")
        return redirect(f"{back}?page={page}" if page else back)
    response = render_in_place(request, "notifications/inbox.html#inbox", _inbox(request, page))
    response.write(render_to_string("base.html#inbox-link-in-place", request=request))
    return response


@signed_in(Role.ADMINISTRATOR)
@require_GET
def undelivered(request: AuthenticatedRequest) -> HttpResponse:
    page = Paginator(undelivered_messages_visible_to(request.user), MESSAGES_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(request, "notifications/undelivered.html", {"page": page})


@signed_in(Role.ADMINISTRATOR)
@require_http_methods(["GET", "POST"])
def send_again(request: AuthenticatedRequest, message_id: int) -> HttpResponse:
    """GET: who will get the message, and the button. POST: send it again (once: a message
    sent again is no longer undelivered)."""
    message = get_undelivered_message_for(request.user, message_id)
    page = request.POST.get("page", request.GET.get("page", ""))
    back = reverse("notifications:undelivered")
    back = f"{back}?page={page}" if page.isdigit() else back
    if request.method == "GET":
        return confirmation_page(request, _send_again_confirmation(message, page, back))
    try:
        services.retry_message(message=message, actor=request.user)
    except services.NotificationError as error:
        # Sent again from another tab, or by the worker, since the page was shown.
        messages.error(request, str(error))
    else:
        messages.success(
            request, _("Message #%(number)s will be sent again now.") % {"number": message.pk}
        )
    return redirect(back)


def _send_again_confirmation(message: OutboxMessage, page: str, back: str) -> Confirmation:
    names = {
        "number": message.pk,
        "channel": message.get_channel_display().lower(),
        "name": _addressee(message),
    }
    return Confirmation(
        title=_("Send message #%(number)s again?") % names,
        happens=[
            _("It goes to %(name)s by %(channel)s now, with a fresh set of attempts.") % names,
            _("If an earlier attempt did reach them, they get it twice."),
        ],
        button=_("Send it again"),
        back_url=back,
        carry={"page": page} if page.isdigit() else {},
    )


def _addressee(message: OutboxMessage) -> str:
    if message.recipient:
        return message.recipient.display_name
    return _("the partner's system") if message.channel == Channel.WEBHOOK else _("the person")
