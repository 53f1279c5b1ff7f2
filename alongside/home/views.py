from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from alongside.accounts.models import STAFF_ROLES, Role
from alongside.accounts.queries import roles_of
from alongside.core.access import PublicRequest, public
from alongside.programs.models import Program


@public
@require_GET
def home(request: PublicRequest) -> HttpResponse:
    """Sends each person to where their work is; visitors see how to ask or join each program."""
    roles = roles_of(request.user)  # type: ignore[arg-type]
    if roles & STAFF_ROLES:
        return redirect("intake:queue")
    if roles & {Role.SUPPORTER, Role.SUPERVISOR}:
        return redirect("matches:list")
    programs = Program.objects.filter(is_active=True)
    return render(request, "home/home.html", {"programs": programs, "roles": roles})
