from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from alongside.accounts.models import Role
from alongside.core.access import AuthenticatedRequest, signed_in
from alongside.notifications import services
from alongside.notifications.permissions import get_undelivered_message_for
from alongside.notifications.queries import undelivered_messages_visible_to

MESSAGES_PER_PAGE = 50


@signed_in(Role.ADMINISTRATOR)
@require_GET
def undelivered(request: AuthenticatedRequest) -> HttpResponse:
    page = Paginator(undelivered_messages_visible_to(request.user), MESSAGES_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(request, "notifications/undelivered.html", {"page": page})


@signed_in(Role.ADMINISTRATOR)
@require_POST
def send_again(request: AuthenticatedRequest, message_id: int) -> HttpResponse:
    message = get_undelivered_message_for(request.user, message_id)
    try:
        services.retry_message(message=message, actor=request.user)
    except services.NotificationError as error:
        # Sent again from another tab, or by the worker, since the page was shown.
        messages.error(request, str(error))
    else:
        messages.success(
            request, _("Message #%(number)s will be sent again now.") % {"number": message.pk}
        )
    page = request.POST.get("page", "")
    back = reverse("notifications:undelivered")
    return redirect(f"{back}?page={page}" if page.isdigit() else back)
