from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from alongside.accounts.access import AuthenticatedRequest, signed_in
from alongside.accounts.models import STAFF_ROLES, Role
from alongside.accounts.queries import roles_of
from alongside.core.access import PublicRequest, public
from alongside.home.my_page import page_of
from alongside.programs.queries import active_programs


@public
@require_GET
def home(request: PublicRequest) -> HttpResponse:
    """Sends each person to where their work is; visitors see how to ask or join each program."""
    roles = roles_of(request.user)  # type: ignore[arg-type]
    if roles & STAFF_ROLES:
        return redirect("reports:dashboard")
    if Role.SUPPORTER in roles:
        return redirect("my_page")
    if Role.SUPERVISOR in roles:
        return redirect("matches:list")
    if Role.REFERRER in roles:
        return redirect("referrals:mine")
    if Role.PRIVACY_LEAD in roles:
        return redirect("privacy:audit_log")
    programs = active_programs()
    return render(request, "home/home.html", {"programs": programs, "roles": roles})


@signed_in(Role.SUPPORTER)
@require_GET
def my_page(request: AuthenticatedRequest) -> HttpResponse:
    """A supporter's home: what waits for their answer, their matches' next steps, meetings,
    trainings running out, and how they are doing."""
    return render(request, "home/my_page.html", page_of(request.user))
