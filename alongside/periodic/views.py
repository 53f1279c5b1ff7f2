from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from alongside.accounts.access import AuthenticatedRequest, signed_in
from alongside.accounts.models import Role
from alongside.periodic import queries, services
from alongside.periodic.permissions import get_failure_for


@signed_in(Role.ADMINISTRATOR)
@require_GET
def jobs(request: AuthenticatedRequest) -> HttpResponse:
    return render(
        request,
        "periodic/jobs.html",
        {"overviews": queries.job_overviews(), "now": timezone.now()},
    )


@signed_in(Role.ADMINISTRATOR)
@require_POST
def retry_now(request: AuthenticatedRequest, failure_id: int) -> HttpResponse:
    failure = get_failure_for(request.user, failure_id)
    services.retry_now(failure=failure, actor=request.user)
    messages.success(
        request,
        _("Item #%(number)s of %(job)s is being tried again now.")
        % {"number": failure.item_pk, "job": failure.job},
    )
    return redirect("periodic:jobs")
