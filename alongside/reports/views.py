from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from alongside.accounts.access import AuthenticatedRequest, signed_in
from alongside.accounts.models import STAFF_ROLES
from alongside.core.calendar import today_in
from alongside.programs.models import Program
from alongside.programs.queries import programs_staffed_by
from alongside.reports.dashboard import dashboard_figures
from alongside.reports.periods import PeriodChoice, period_from


def _chosen_program(request: AuthenticatedRequest, programs: list[Program]) -> Program | None:
    asked = request.GET.get("program", "")
    if not asked:
        return None
    chosen = next((program for program in programs if str(program.pk) == asked), None)
    if chosen is None:
        messages.info(request, _("That is not one of your programs; showing all of them."))
    return chosen


@signed_in(*STAFF_ROLES)
@require_GET
def dashboard(request: AuthenticatedRequest) -> HttpResponse:
    """A program's health at a glance, or all of the coordinator's programs', for a period."""
    programs = list(programs_staffed_by(request.user))
    chosen = _chosen_program(request, programs)
    shown = [chosen] if chosen else programs
    now = timezone.now()
    today = shown[0].calendar.today(now) if shown else today_in("UTC", now)
    asked = period_from(request.GET.get("period"), today)
    if asked.problem:
        messages.info(request, asked.problem)
    context = {
        "programs": programs,
        "chosen_program": chosen,
        "shown": shown,
        "period": asked.period,
        "period_choice": asked.choice,
        "period_choices": PeriodChoice.choices,
    }
    if shown:
        context |= dashboard_figures(programs=shown, period=asked.period, now=now)
    return render(request, "reports/dashboard.html", context)
