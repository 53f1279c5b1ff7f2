"""A program's webhooks, for its administrators: endpoints, their secrets, a test event, and
the deliveries given up (the dead letters) with "Send again"."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from alongside.accounts.access import AuthenticatedRequest, signed_in
from alongside.accounts.models import Role
from alongside.core.confirm import Confirmation, confirmation_page
from alongside.core.errors import DomainError
from alongside.notifications import services as outbox
from alongside.notifications.webhooks import services
from alongside.notifications.webhooks.forms import EndpointForm
from alongside.notifications.webhooks.models import WebhookEndpoint
from alongside.notifications.webhooks.permissions import (
    get_endpoint_for,
    get_given_up_webhook_for,
)
from alongside.notifications.webhooks.queries import (
    endpoints_of,
    given_up_webhooks_of,
    recent_deliveries_to,
)
from alongside.notifications.webhooks.services import ROTATION_GRACE
from alongside.programs.permissions import get_program_administered_by

DEAD_LETTERS_PER_PAGE = 25


@signed_in(Role.ADMINISTRATOR)
@require_GET
def endpoints(request: AuthenticatedRequest, program_id: int) -> HttpResponse:
    program = get_program_administered_by(request.user, program_id)
    return render(
        request,
        "notifications/webhooks/endpoints.html",
        {
            "program": program,
            "endpoints": endpoints_of(program),
            "given_up": given_up_webhooks_of(program).count(),
        },
    )


@signed_in(Role.ADMINISTRATOR)
@never_cache
@require_http_methods(["GET", "POST"])
def add_endpoint(request: AuthenticatedRequest, program_id: int) -> HttpResponse:
    """POST: the endpoint is saved and its secret shown, this once (never stored in a page)."""
    program = get_program_administered_by(request.user, program_id)
    form = EndpointForm(request.POST or None)
    if form.is_valid():
        try:
            endpoint = services.add_endpoint(
                program=program, added_by=request.user, **form.cleaned_data
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            return _secret_shown_once(request, endpoint, added=True)
    return render(
        request,
        "notifications/webhooks/endpoint_form.html",
        {"program": program, "form": form, "heading": _("Add a webhook endpoint")},
    )


@signed_in(Role.ADMINISTRATOR)
@require_http_methods(["GET", "POST"])
def edit_endpoint(request: AuthenticatedRequest, endpoint_id: int) -> HttpResponse:
    endpoint = get_endpoint_for(request.user, endpoint_id)
    initial = {
        "name": endpoint.name,
        "url": endpoint.url,
        "events": endpoint.events,
        "is_active": endpoint.is_active,
    }
    form = EndpointForm(request.POST or None, initial=initial)
    if form.is_valid():
        try:
            services.change_endpoint(
                endpoint=endpoint, changed_by=request.user, **form.cleaned_data
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("“%(name)s” is saved.") % {"name": endpoint.name})
            return redirect("notifications:webhook_endpoints", program_id=endpoint.program_id)
    return render(
        request,
        "notifications/webhooks/endpoint_form.html",
        {
            "program": endpoint.program,
            "endpoint": endpoint,
            "form": form,
            "heading": _("Webhook endpoint: %(name)s") % {"name": endpoint.name},
            "deliveries": recent_deliveries_to(endpoint),
        },
    )


@signed_in(Role.ADMINISTRATOR)
@never_cache
@require_http_methods(["GET", "POST"])
def rotate_secret(request: AuthenticatedRequest, endpoint_id: int) -> HttpResponse:
    """GET: what changing the secret does, and the button. POST: the new secret, shown once."""
    endpoint = get_endpoint_for(request.user, endpoint_id)
    back = reverse("notifications:edit_webhook_endpoint", args=[endpoint.pk])
    if request.method == "GET":
        hours = int(ROTATION_GRACE.total_seconds() // 3600)
        return confirmation_page(
            request,
            Confirmation(
                title=_("Change the secret of “%(name)s”?") % {"name": endpoint.name},
                happens=[
                    _("A new secret is made and shown to you once."),
                    _(
                        "For %(hours)s hours, each delivery is signed with both secrets, so the "
                        "partner's system can switch over; then only with the new one."
                    )
                    % {"hours": hours},
                    _("A secret changed before is no longer used at all."),
                ],
                button=_("Change the secret"),
                back_url=back,
                carry={"version": str(endpoint.secret_version)},
            ),
        )
    version = request.POST.get("version", "")
    try:
        rotated = services.rotate_secret(
            endpoint=endpoint,
            version=int(version) if version.isdigit() else -1,
            rotated_by=request.user,
        )
    except DomainError as error:
        messages.error(request, error.message)
        return redirect(back)
    return _secret_shown_once(request, rotated, added=False)


@signed_in(Role.ADMINISTRATOR)
@require_POST
def send_test_event(request: AuthenticatedRequest, endpoint_id: int) -> HttpResponse:
    endpoint = get_endpoint_for(request.user, endpoint_id)
    try:
        services.send_test_event(endpoint=endpoint, sent_by=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("A test event is on its way to “%(name)s”. Its delivery is listed below.")
            % {"name": endpoint.name},
        )
    return redirect("notifications:edit_webhook_endpoint", endpoint_id=endpoint.pk)


@signed_in(Role.ADMINISTRATOR)
@require_GET
def given_up(request: AuthenticatedRequest, program_id: int) -> HttpResponse:
    program = get_program_administered_by(request.user, program_id)
    page = Paginator(given_up_webhooks_of(program), DEAD_LETTERS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request, "notifications/webhooks/given_up.html", {"program": program, "page": page}
    )


@signed_in(Role.ADMINISTRATOR)
@require_http_methods(["GET", "POST"])
def send_again(request: AuthenticatedRequest, message_id: int) -> HttpResponse:
    """GET: where the delivery goes, and the button. POST: the outbox sends it again, with a
    fresh set of attempts (once: sent again, it is no longer given up)."""
    message = get_given_up_webhook_for(request.user, message_id)
    page = request.POST.get("page", request.GET.get("page", ""))
    back = reverse("notifications:given_up_webhooks", args=[message.program_id])
    back = f"{back}?page={page}" if page.isdigit() else back
    names = {"number": message.pk, "name": message.webhook_delivery.endpoint.name}
    if request.method == "GET":
        return confirmation_page(
            request,
            Confirmation(
                title=_("Send delivery #%(number)s again?") % names,
                happens=[
                    _("It goes to “%(name)s” now, with a fresh set of attempts.") % names,
                    _(
                        "If an earlier attempt did reach it, it receives the event twice, with "
                        "the same id."
                    ),
                ],
                button=_("Send it again"),
                back_url=back,
                carry={"page": page} if page.isdigit() else {},
            ),
        )
    try:
        outbox.retry_message(message=message, actor=request.user)
    except outbox.NotificationError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Delivery #%(number)s will be sent again now.") % names)
    return redirect(back)


def _secret_shown_once(
    request: AuthenticatedRequest, endpoint: WebhookEndpoint, *, added: bool
) -> HttpResponse:
    """To the page that shows the new secret, once: only the right to see it is kept in the
    session (never the secret), so a reload or the back button cannot make the endpoint twice
    nor show the secret again."""
    request.session[_SHOWN_ONCE.format(endpoint.pk)] = [endpoint.secret_version, added]
    return redirect("notifications:webhook_secret", endpoint_id=endpoint.pk)


_SHOWN_ONCE = "webhooks:secret-to-show:{}"


@signed_in(Role.ADMINISTRATOR)
@never_cache
@require_GET
def secret(request: AuthenticatedRequest, endpoint_id: int) -> HttpResponse:
    endpoint = get_endpoint_for(request.user, endpoint_id)
    version, added = request.session.pop(_SHOWN_ONCE.format(endpoint.pk), [None, False])
    if version != endpoint.secret_version:
        messages.info(
            request,
            _("A secret is shown once, when it is made. If it was lost, change it for a new one."),
        )
        return redirect("notifications:edit_webhook_endpoint", endpoint_id=endpoint.pk)
    response = render(
        request,
        "notifications/webhooks/secret.html",
        {"program": endpoint.program, "endpoint": endpoint, "added": added},
    )
    response["Cache-Control"] = "no-store"
    return response
