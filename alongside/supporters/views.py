from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_ratelimit.core import get_usage

from alongside.accounts.models import STAFF_ROLES, Role
from alongside.accounts.queries import program_ids_for
from alongside.core.access import AuthenticatedRequest, PublicRequest, public, signed_in
from alongside.core.errors import DomainError
from alongside.groups.queries import upcoming_for_supporter
from alongside.intake.models import RequestStatus, SupportRequest
from alongside.matches import services as match_services
from alongside.matches.models import Match
from alongside.programs.models import Program
from alongside.supporters import imports, queries
from alongside.supporters.forms import (
    ApplicationForm,
    BackgroundCheckForm,
    DebriefForm,
    ImportForm,
    LivedExperienceForm,
    MatchForm,
    OffboardForm,
    OverrideForm,
    ProfileForm,
    StepForm,
    SupervisionForm,
    TrainingForm,
    WellbeingForm,
)
from alongside.supporters.models import (
    Application,
    LivedExperience,
    PipelineStep,
    Supporter,
    SupporterStatus,
)
from alongside.supporters.permissions import (
    get_application_for,
    get_profile_for,
    get_supervisee_for,
    get_supporter_for,
)
from alongside.supporters.services import (
    applications,
    offboarding,
    pipeline,
    profile,
    supervision,
    wellbeing,
)

SESSION_APPLICATION_KEY = "supporters.received_application"
STAFF = (Role.COORDINATOR, Role.ADMINISTRATOR)


def _public_form_usage(request: PublicRequest, *, count_this_one: bool) -> bool:
    """Whether this address has used up its applications for the hour; counts this one if asked."""
    usage = get_usage(
        request,
        group="supporters.apply",
        key="ip",
        rate=f"{settings.PUBLIC_FORM_RATE_LIMIT}/h",
        method="POST",
        increment=count_this_one,
    )
    return usage is not None and usage["count"] >= usage["limit"]


@public
@require_http_methods(["GET", "POST"])
def apply(request: PublicRequest, program_slug: str) -> HttpResponse:
    program = get_object_or_404(Program, slug=program_slug, is_active=True)
    form = ApplicationForm(request.POST or None, program=program)
    if request.method == "POST":
        if _public_form_usage(request, count_this_one=False):
            return render(
                request, "supporters/too_many_applications.html", {"program": program}, status=429
            )
        if form.is_bot:
            return redirect("supporters:applied", program_slug=program.slug)
        if form.is_valid():
            try:
                application = applications.submit_application(
                    program=program,
                    submission_token=form.cleaned_data["submission_token"],
                    answers=form.answers(),
                    consent=form.cleaned_data["consent"],
                )
            except DomainError as error:
                form.add_error(None, error.message)
            else:
                _public_form_usage(request, count_this_one=True)
                request.session[SESSION_APPLICATION_KEY] = application.pk
                return redirect("supporters:applied", program_slug=program.slug)
    return render(request, "supporters/apply.html", {"program": program, "form": form})


@public
@require_GET
def applied(request: PublicRequest, program_slug: str) -> HttpResponse:
    program = get_object_or_404(Program, slug=program_slug, is_active=True)
    received_id = request.session.get(SESSION_APPLICATION_KEY)
    application = (
        Application.objects.filter(pk=received_id, program=program).first()
        if isinstance(received_id, int)
        else None
    )
    return render(
        request, "supporters/applied.html", {"program": program, "application": application}
    )


def _staff_programs(request: AuthenticatedRequest) -> Any:
    return Program.objects.filter(pk__in=program_ids_for(request.user, STAFF_ROLES))


@signed_in(*STAFF)
@require_GET
def board(request: AuthenticatedRequest) -> HttpResponse:
    programs = _staff_programs(request)
    program_id = request.GET.get("program", "")
    chosen = programs.filter(pk=program_id).first() if program_id.isdigit() else None
    step_filter = request.GET.get("step", "")
    supporters = list(
        queries.board_supporters(request.user, program_id=chosen.pk if chosen else None)
    )
    states = queries.readiness_of(supporters, timezone.localdate())
    columns: dict[str, dict[str, Any]] = {}
    now = timezone.now()
    for supporter in supporters:
        state = states[supporter.pk]
        step = state.current_step
        name = step.name if step else _("Ready")
        if step_filter and name != step_filter:
            continue
        column = columns.setdefault(
            name, {"name": name, "order": step.order if step else 10_000, "rows": []}
        )
        column["rows"].append(
            {
                "supporter": supporter,
                "waiting_days": (now - state.waiting_since).days if state.waiting_since else 0,
                "missing": state.missing,
            }
        )
    step_names = list(
        dict.fromkeys(
            PipelineStep.objects.filter(program__in=[chosen] if chosen else programs)
            .order_by("order")
            .values_list("name", flat=True)
        )
    )
    return render(
        request,
        "supporters/board.html",
        {
            "programs": programs,
            "chosen_program": chosen,
            "step_names": step_names,
            "chosen_step": step_filter,
            "columns": sorted(columns.values(), key=lambda column: column["order"]),
            "not_eligible": queries.applications_not_eligible(
                request.user, program_id=chosen.pk if chosen else None
            ),
        },
    )


@signed_in(*STAFF)
@require_POST
def board_advance(request: AuthenticatedRequest) -> HttpResponse:
    ids = [int(value) for value in request.POST.getlist("supporter") if value.isdigit()]
    chosen = list(
        queries.board_supporters(request.user).filter(pk__in=ids).select_related("program")
    )
    if not chosen:
        messages.error(request, _("Choose at least one person to move on."))
        return redirect("supporters:board")
    problems = pipeline.advance_to_next_step(supporters=chosen, by=request.user)
    for problem in problems:
        messages.warning(request, problem)
    moved = len(chosen) - len(problems)
    if moved:
        messages.success(request, _("Moved %(count)d on to their next step.") % {"count": moved})
    return redirect("supporters:board")


def _waiting_requests(supporter: Supporter) -> list[tuple[int, str]]:
    waiting = SupportRequest.objects.filter(
        program_id=supporter.program_id, status=RequestStatus.NEW
    ).select_related("peer")
    return [(item.pk, f"{item.peer.first_name} · #{item.pk}") for item in waiting]


def _render_detail(
    request: AuthenticatedRequest, supporter: Supporter, **forms: Any
) -> HttpResponse:
    program = supporter.program
    context = {
        "supporter": supporter,
        "readiness": queries.readiness(supporter, timezone.localdate()),
        "step_records": supporter.step_records.select_related("step", "recorded_by"),
        "checks": supporter.background_checks.all(),
        "trainings": supporter.training_records.select_related("module"),
        "hours": queries.peer_support_hours(supporter),
        "burnout_signals": queries.burnout_signals(supporter, timezone.localdate()),
        "debriefs": supporter.debrief_requests.all()[:5],
        "sessions": _sessions_with_notes(request, supporter),
        "can_supervise": supervision.supervises(request.user, supporter),
        "step_form": forms.get("step_form") or StepForm(program=program),
        "check_form": forms.get("check_form") or BackgroundCheckForm(),
        "training_form": forms.get("training_form") or TrainingForm(program=program),
        "match_form": forms.get("match_form") or MatchForm(choices=_waiting_requests(supporter)),
    }
    return render(request, "supporters/detail.html", context)


@signed_in(*STAFF)
@require_GET
def supporter_detail(request: AuthenticatedRequest, supporter_id: int) -> HttpResponse:
    supporter = get_supporter_for(request.user, supporter_id)
    pipeline.record_supporter_viewed(supporter=supporter, viewer=request.user)
    return _render_detail(request, supporter)


@signed_in(*STAFF)
@require_POST
def record_step(request: AuthenticatedRequest, supporter_id: int) -> HttpResponse:
    supporter = get_supporter_for(request.user, supporter_id, write=True)
    form = StepForm(request.POST, program=supporter.program)
    if form.is_valid():
        try:
            pipeline.record_step(supporter=supporter, by=request.user, **form.cleaned_data)
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Step recorded."))
            return redirect("supporters:detail", supporter_id=supporter.pk)
    return _render_detail(request, supporter, step_form=form)


@signed_in(*STAFF)
@require_POST
def record_check(request: AuthenticatedRequest, supporter_id: int) -> HttpResponse:
    supporter = get_supporter_for(request.user, supporter_id, write=True)
    form = BackgroundCheckForm(request.POST)
    if form.is_valid():
        try:
            pipeline.record_background_check(
                supporter=supporter, by=request.user, **form.cleaned_data
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Background check recorded."))
            return redirect("supporters:detail", supporter_id=supporter.pk)
    return _render_detail(request, supporter, check_form=form)


@signed_in(*STAFF)
@require_POST
def record_training(request: AuthenticatedRequest, supporter_id: int) -> HttpResponse:
    supporter = get_supporter_for(request.user, supporter_id, write=True)
    form = TrainingForm(request.POST, program=supporter.program)
    if form.is_valid():
        try:
            pipeline.record_training(supporter=supporter, by=request.user, **form.cleaned_data)
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Training recorded."))
            return redirect("supporters:detail", supporter_id=supporter.pk)
    return _render_detail(request, supporter, training_form=form)


@signed_in(*STAFF)
@require_POST
def match_supporter(request: AuthenticatedRequest, supporter_id: int) -> HttpResponse:
    """Match this supporter with a waiting request; the matching service checks readiness."""
    supporter = get_supporter_for(request.user, supporter_id, write=True)
    form = MatchForm(request.POST, choices=_waiting_requests(supporter))
    if form.is_valid():
        support_request = SupportRequest.objects.get(pk=form.cleaned_data["request"])
        try:
            match = match_services.start_match(
                support_request=support_request, supporter=supporter, started_by=request.user
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            return redirect("matches:detail", match_id=match.pk)
    return _render_detail(request, supporter, match_form=form)


@signed_in(*STAFF)
@require_http_methods(["GET", "POST"])
def application_detail(request: AuthenticatedRequest, application_id: int) -> HttpResponse:
    application = get_application_for(request.user, application_id)
    form = OverrideForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            supporter = applications.override_eligibility(
                application=application, by=request.user, reason=form.cleaned_data["reason"]
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Accepted. They are now on the board."))
            return redirect("supporters:detail", supporter_id=supporter.pk)
    applications.record_application_viewed(application=application, viewer=request.user)
    return render(
        request, "supporters/application.html", {"application": application, "form": form}
    )


@signed_in(Role.SUPPORTER)
@require_GET
def portal(request: AuthenticatedRequest) -> HttpResponse:
    """A supporter's own page: status, what is missing, trainings, matches, hours."""
    profiles = list(
        Supporter.objects.filter(user=request.user, program__is_active=True).select_related(
            "program"
        )
    )
    today = timezone.localdate()
    states = queries.readiness_of(profiles, today)
    return render(
        request,
        "supporters/portal.html",
        {
            "today": today,
            "profiles": [
                {
                    "supporter": own,
                    "readiness": states[own.pk],
                    "hours": queries.peer_support_hours(own),
                    "wellbeing_form": WellbeingForm(prefix=f"wellbeing-{own.pk}"),
                    "debrief_form": DebriefForm(prefix=f"debrief-{own.pk}"),
                    "matches": Match.objects.filter(supporter=own).select_related("request__peer"),
                    "invitations": upcoming_for_supporter(own, timezone.now()),
                    "supervision": queries.supervision_dates(own, today),
                }
                for own in profiles
            ],
        },
    )


@signed_in(*STAFF)
@require_http_methods(["GET", "POST"])
def import_supporters(request: AuthenticatedRequest) -> HttpResponse:
    """Check a file of existing supporters (dry run), or import it: all rows or none."""
    form = ImportForm(
        request.POST or None, request.FILES or None, programs=_staff_programs(request)
    )
    checked = None
    if request.method == "POST" and form.is_valid():
        program = form.cleaned_data["program"]
        upload = form.cleaned_data["file"]
        try:
            dataset = imports.read_file(upload.read(), upload.name)
            checked = imports.check_rows(program=program, dataset=dataset)
            if "import" in request.POST and checked.is_clean:
                count = imports.import_supporters(program=program, dataset=dataset, by=request.user)
                messages.success(request, _("Imported %(count)d supporters.") % {"count": count})
                return redirect("supporters:board")
        except DomainError as error:
            form.add_error("file", error.message)
    return render(request, "supporters/import.html", {"form": form, "checked": checked})


@signed_in(Role.SUPPORTER)
@require_POST
def record_wellbeing(request: AuthenticatedRequest, supporter_id: int) -> HttpResponse:
    """A supporter's own self-care check-in, from their page."""
    supporter = get_object_or_404(Supporter, pk=supporter_id, user=request.user)
    form = WellbeingForm(request.POST, prefix=f"wellbeing-{supporter.pk}")
    if form.is_valid():
        try:
            wellbeing.record_wellbeing(
                supporter=supporter,
                score=form.cleaned_data["score"],
                note=form.cleaned_data["note"],
                by=request.user,
            )
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Thank you for telling us how you are."))
    else:
        messages.error(request, _("Please choose how you are doing, from 1 to 5."))
    return redirect("supporters:portal")


@signed_in(Role.SUPPORTER)
@require_POST
def request_debrief(request: AuthenticatedRequest, supporter_id: int) -> HttpResponse:
    """A supporter asks to talk a hard contact through; it reaches their supervisors."""
    supporter = get_object_or_404(Supporter, pk=supporter_id, user=request.user)
    form = DebriefForm(request.POST, prefix=f"debrief-{supporter.pk}")
    if form.is_valid():
        wellbeing.request_debrief(
            supporter=supporter, note=form.cleaned_data["note"], by=request.user
        )
        messages.success(request, _("We have let your supervisor know. They will be in touch."))
    else:
        messages.error(request, _("Please keep the note shorter."))
    return redirect("supporters:portal")


# ---- The profile ----------------------------------------------------------------------------


def _after_profile(request: AuthenticatedRequest, supporter: Supporter) -> HttpResponse:
    """Back to where the editor came from: the supporter's page for staff, else the portal."""
    if profile.is_staff_of(request.user, supporter):
        return redirect("supporters:detail", supporter_id=supporter.pk)
    return redirect("supporters:portal")


def _render_profile(
    request: AuthenticatedRequest,
    supporter: Supporter,
    *,
    form: ProfileForm | None = None,
    experience_form: LivedExperienceForm | None = None,
    status: int = 200,
) -> HttpResponse:
    as_staff = profile.is_staff_of(request.user, supporter)
    context = {
        "supporter": supporter,
        "as_staff": as_staff,
        "form": form or ProfileForm(supporter=supporter, as_staff=as_staff),
        "experience_form": experience_form or LivedExperienceForm(supporter=supporter),
        "experiences": supporter.experiences.select_related("experience").order_by("pk"),
    }
    return render(request, "supporters/profile.html", context, status=status)


@signed_in(Role.SUPPORTER, *STAFF)
@require_http_methods(["GET", "POST"])
def edit_profile(request: AuthenticatedRequest, supporter_id: int) -> HttpResponse:
    """A supporter's own profile, or one a coordinator keeps for them."""
    supporter = get_profile_for(request.user, supporter_id)
    if request.method == "GET":
        profile.record_profile_viewed(supporter=supporter, viewer=request.user)
        return _render_profile(request, supporter)
    as_staff = profile.is_staff_of(request.user, supporter)
    form = ProfileForm(request.POST, supporter=supporter, as_staff=as_staff)
    if form.is_valid():
        try:
            changed = profile.update_profile(
                supporter=supporter, by=request.user, changes=form.changes()
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request, _("Profile saved.") if changed else _("Nothing to change: all as before.")
            )
            return _after_profile(request, supporter)
    return _render_profile(request, supporter, form=form)


@signed_in(Role.SUPPORTER, *STAFF)
@require_POST
def add_experience(request: AuthenticatedRequest, supporter_id: int) -> HttpResponse:
    supporter = get_profile_for(request.user, supporter_id)
    form = LivedExperienceForm(request.POST, supporter=supporter)
    if form.is_valid():
        try:
            profile.add_lived_experience(
                supporter=supporter,
                by=request.user,
                experience=form.cleaned_data["experience"],
                relationship=form.cleaned_data["relationship"],
                since=form.since(),
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Experience added."))
            return redirect("supporters:profile", supporter_id=supporter.pk)
    return _render_profile(request, supporter, experience_form=form)


@signed_in(Role.SUPPORTER, *STAFF)
@require_POST
def remove_experience(
    request: AuthenticatedRequest, supporter_id: int, experience_id: int
) -> HttpResponse:
    supporter = get_profile_for(request.user, supporter_id)
    lived = get_object_or_404(LivedExperience, pk=experience_id, supporter=supporter)
    try:
        profile.remove_lived_experience(lived_experience=lived, by=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Experience removed."))
    return redirect("supporters:profile", supporter_id=supporter.pk)


# ---- Offboarding ----------------------------------------------------------------------------


@signed_in(*STAFF)
@require_http_methods(["GET", "POST"])
def offboard(request: AuthenticatedRequest, supporter_id: int) -> HttpResponse:
    """Move a supporter on a break, to alumni or withdrawn, deciding where each match goes."""
    supporter = get_supporter_for(request.user, supporter_id, write=True)
    open_matches = list(
        supporter.matches.open().select_related("request__peer").order_by("started_at", "pk")
    )
    form = OffboardForm(
        request.POST or None,
        supporter=supporter,
        open_matches=open_matches,
        candidates=list(queries.handover_candidates(supporter)),
    )
    if request.method == "POST" and form.is_valid():
        try:
            offboarding.offboard_supporter(
                supporter=supporter,
                by=request.user,
                status=form.cleaned_data["status"],
                reason=form.cleaned_data["reason"],
                away_until=form.cleaned_data["away_until"],
                hand_overs=form.hand_overs(),
                note=form.cleaned_data["note"],
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request,
                ngettext(
                    "Status changed. Their open match went where you chose.",
                    "Status changed. Each of their %(count)d open matches went where you chose.",
                    len(open_matches),
                )
                % {"count": len(open_matches)}
                if open_matches
                else _("Status changed."),
            )
            return redirect("supporters:detail", supporter_id=supporter.pk)
    return render(
        request,
        "supporters/offboard.html",
        {"supporter": supporter, "form": form, "open_matches": open_matches},
    )


@signed_in(*STAFF)
@require_POST
def return_from_break(request: AuthenticatedRequest, supporter_id: int) -> HttpResponse:
    supporter = get_supporter_for(request.user, supporter_id, write=True)
    try:
        supporter = offboarding.return_from_break(supporter=supporter, by=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        if supporter.status == SupporterStatus.ACTIVE:
            messages.success(
                request, _("Welcome back: %(name)s is active again.") % {"name": supporter}
            )
        else:
            messages.warning(
                request,
                _("%(name)s is back, but paused from new matches until what is missing is done.")
                % {"name": supporter},
            )
    return redirect("supporters:detail", supporter_id=supporter.pk)


# ---- Supervision ----------------------------------------------------------------------------


@signed_in(Role.SUPERVISOR, Role.COORDINATOR)
@require_GET
def supervisees(request: AuthenticatedRequest) -> HttpResponse:
    """A supervisor's supporters: last session, signs of strain, debriefs waiting."""
    people = list(queries.supervisees(request.user))
    signals = queries.burnout_signals_of(people, timezone.localdate())
    return render(
        request,
        "supporters/supervisees.html",
        {"rows": [{"supporter": person, "signals": signals[person.pk]} for person in people]},
    )


def _sessions_with_notes(
    request: AuthenticatedRequest, supporter: Supporter
) -> list[dict[str, Any]]:
    """The supporter's sessions, each with its notes only for those who may read them (audited)."""
    sessions = list(supporter.supervision_sessions.select_related("supervisor"))
    readable = supervision.readable_notes(request.user, supporter, sessions)
    supervision.record_notes_read(
        supporter=supporter,
        viewer=request.user,
        sessions=[session.pk for session in sessions if session.pk in readable and session.notes],
    )
    return [{"session": session, "show_notes": session.pk in readable} for session in sessions]


@signed_in(Role.SUPERVISOR, Role.COORDINATOR)
@require_http_methods(["GET", "POST"])
def supervision_sessions(request: AuthenticatedRequest, supporter_id: int) -> HttpResponse:
    """Record a supervision session with one supporter, and see the ones before."""
    supporter = get_supervisee_for(request.user, supporter_id)
    open_debriefs = list(supporter.debrief_requests.filter(answered_at__isnull=True))
    form = SupervisionForm(request.POST or None, has_open_debriefs=bool(open_debriefs))
    if request.method == "POST" and form.is_valid():
        try:
            supervision.record_supervision(
                supporter=supporter, supervisor=request.user, **form.cleaned_data
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Supervision session recorded."))
            return redirect("supporters:supervision", supporter_id=supporter.pk)
    return render(
        request,
        "supporters/supervision.html",
        {
            "supporter": supporter,
            "form": form,
            "open_debriefs": open_debriefs,
            "sessions": _sessions_with_notes(request, supporter),
            "burnout_signals": queries.burnout_signals(supporter, timezone.localdate()),
        },
    )
