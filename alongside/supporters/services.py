"""Every change to supporters: applications, the pipeline, checks, trainings, readiness."""

import calendar
import datetime as dt
import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from alongside.accounts.models import Membership, Role, User
from alongside.core.audit import record_event
from alongside.core.errors import DomainError
from alongside.notifications.models import Channel
from alongside.notifications.services import queue_message
from alongside.programs.configuration import eligibility_rules_adapter
from alongside.programs.models import Experience, Program
from alongside.supporters.eligibility import ApplicantFacts, ExperienceFact, reasons_not_eligible
from alongside.supporters.models import (
    Application,
    ApplicationOutcome,
    BackgroundCheck,
    CheckKind,
    CheckStatus,
    CompetencyArea,
    DebriefRequest,
    LivedExperience,
    PauseReason,
    PipelineStep,
    StepKind,
    StepOutcome,
    StepRecord,
    Supporter,
    SupporterStatus,
    TrainingModule,
    TrainingRecord,
    WellbeingCheckIn,
)
from alongside.supporters.queries import IN_PIPELINE_STATUSES, readiness

DEFAULT_STEPS = (
    (StepKind.SCREENING_CALL, gettext_lazy("screening call")),
    (StepKind.INTERVIEW, gettext_lazy("interview")),
    (StepKind.REFERENCES, gettext_lazy("references")),
    (StepKind.BACKGROUND_CHECK, gettext_lazy("background check")),
    (StepKind.TRAINING, gettext_lazy("training")),
    (StepKind.AGREEMENT, gettext_lazy("confidentiality agreement")),
    (StepKind.AGREEMENT, gettext_lazy("code of conduct")),
)
DEFAULT_MODULES = (
    (
        gettext_lazy("Foundations"),
        [CompetencyArea.COMMUNICATION, CompetencyArea.STRENGTHS_BASED],
        None,
    ),
    (gettext_lazy("Boundaries"), [CompetencyArea.BOUNDARIES, CompetencyArea.CONFIDENTIALITY], 24),
    (gettext_lazy("Crisis response"), [CompetencyArea.CRISIS_RESPONSE], 12),
)


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later, or the month's last day when it is shorter."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )


def _today() -> dt.date:
    return timezone.localdate()


@transaction.atomic
def create_default_pipeline(*, program: Program, created_by: User | None) -> list[PipelineStep]:
    """Give a program the usual steps and trainings, unless it already has its own."""
    if program.pipeline_steps.exists():
        return list(program.pipeline_steps.all())
    steps = [
        PipelineStep.objects.create(
            program=program, name=str(name), kind=kind, order=order, is_required=True
        )
        for order, (kind, name) in enumerate(DEFAULT_STEPS, start=1)
    ]
    if not program.training_modules.exists():
        for name, areas, months in DEFAULT_MODULES:
            TrainingModule.objects.create(
                program=program, name=str(name), competency_areas=areas, validity_months=months
            )
    record_event(actor=created_by, action="supporters.pipeline.created", target=program)
    return steps


# ---- Applications ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ApplicantAnswers:
    first_name: str
    email: str
    last_name: str = ""
    phone: str = ""
    date_of_birth: dt.date | None = None
    experience: Experience | None = None
    relationship: str = ""
    experience_since: dt.date | None = None
    experience_details: str = ""
    work_role: str = ""
    self_assessed: bool = False


def applicant_facts(program: Program, answers: ApplicantAnswers, today: dt.date) -> ApplicantFacts:
    experiences: tuple[ExperienceFact, ...] = ()
    if answers.experience is not None and answers.relationship:
        experiences = (
            ExperienceFact(
                slug=answers.experience.slug,
                family_slug=answers.experience.family_slug,
                relationship=answers.relationship,
                since=answers.experience_since,
            ),
        )
    return ApplicantFacts(
        today=today,
        date_of_birth=answers.date_of_birth,
        experiences=experiences,
        work_role=answers.work_role,
        self_assessed=answers.self_assessed,
        experience_names=dict(Experience.objects.values_list("slug", "name")),
    )


def submit_application(
    *, program: Program, submission_token: uuid.UUID, answers: ApplicantAnswers, consent: bool
) -> Application:
    """Keep an application with its eligibility result; admits the eligible into the pipeline.

    Thanks the person (with the reasons when not eligible) and tells the coordinators.
    Sending the same form twice (the same `submission_token`) returns the first application.
    """
    existing = Application.objects.filter(submission_token=submission_token).first()
    if existing is not None:
        return existing
    if not program.is_active:
        raise DomainError(
            _("%(program)s is not taking applications at the moment.") % {"program": program}
        )
    if not consent:
        raise DomainError(_("We can only keep your application with your agreement."))
    if Supporter.objects.filter(program=program, user__email__iexact=answers.email).exists():
        raise DomainError(
            _(
                "We already have an application from this e-mail address. "
                "A coordinator will be in touch."
            )
        )
    rules = eligibility_rules_adapter.validate_python(program.eligibility_rules)
    reasons = reasons_not_eligible(rules, applicant_facts(program, answers, _today()))
    try:
        with transaction.atomic():
            application = Application.objects.create(
                program=program,
                submission_token=submission_token,
                first_name=answers.first_name,
                last_name=answers.last_name,
                email=answers.email,
                phone=answers.phone,
                date_of_birth=answers.date_of_birth.isoformat() if answers.date_of_birth else "",
                experience=answers.experience,
                relationship=answers.relationship,
                experience_since=answers.experience_since,
                experience_details=answers.experience_details,
                work_role=answers.work_role,
                self_assessed=answers.self_assessed,
                outcome=ApplicationOutcome.NOT_ELIGIBLE if reasons else ApplicationOutcome.ELIGIBLE,
                reasons=reasons,
                submitted_at=timezone.now(),
            )
            record_event(
                actor=None,
                action="supporters.application.submitted",
                target=application,
                data={"outcome": application.outcome},
            )
            if not reasons:
                _admit(application)
            _thank_applicant(application)
            _tell_coordinators(
                program,
                subject=_("New supporter application"),
                body=_("Application #%(number)s: %(outcome)s.")
                % {"number": application.pk, "outcome": application.get_outcome_display()},
                key=f"supporters.application.new:{application.pk}",
            )
            return application
    except IntegrityError:
        # Two copies of one form raced; the first one won.
        return Application.objects.get(submission_token=submission_token)


def _admit(application: Application) -> Supporter:
    """Create the supporter (and their account, without a password) for an application."""
    user = User.objects.filter(email__iexact=application.email).first()
    if user is None:
        user = User.objects.create_user(
            email=application.email,
            first_name=application.first_name,
            last_name=application.last_name,
        )
    if Supporter.objects.filter(program=application.program, user=user).exists():
        raise DomainError(_("This person is already a supporter in this program."))
    supporter = Supporter.objects.create(
        program=application.program,
        user=user,
        status=SupporterStatus.APPLIED,
        work_role=application.work_role,
        languages=application.program.languages[:1],
        contact_methods=application.program.contact_methods[:1],
    )
    Membership.objects.get_or_create(user=user, program=application.program, role=Role.SUPPORTER)
    if application.experience and application.relationship:
        LivedExperience.objects.create(
            supporter=supporter,
            experience=application.experience,
            relationship=application.relationship,
            since=application.experience_since,
        )
    application.supporter = supporter
    application.save(update_fields=["supporter"])
    record_event(actor=None, action="supporters.supporter.admitted", target=supporter)
    return supporter


def _thank_applicant(application: Application) -> None:
    if application.outcome == ApplicationOutcome.NOT_ELIGIBLE:
        body = _(
            "Hello %(name)s,\n\nThank you for offering to support others through %(program)s. "
            "For now we cannot take your application, because %(reasons)s. "
            "We have kept it; a coordinator may contact you.\n"
        ) % {
            "name": application.first_name,
            "program": application.program.name,
            "reasons": _("; and ").join(application.reasons),
        }
    else:
        body = _(
            "Hello %(name)s,\n\nThank you for offering to support others through %(program)s. "
            "A coordinator will contact you to arrange a first conversation.\n"
        ) % {"name": application.first_name, "program": application.program.name}
    queue_message(
        channel=Channel.EMAIL,
        to_address=application.email,
        subject=_("Thank you for your application"),
        body=body,
        idempotency_key=f"supporters.application.received:{application.pk}",
        program=application.program,
    )


def _tell_coordinators(program: Program, *, subject: str, body: str, key: str) -> None:
    coordinators = User.objects.filter(
        memberships__program=program,
        memberships__role=Role.COORDINATOR,
        memberships__is_active=True,
        is_active=True,
    ).distinct()
    for coordinator in coordinators:
        queue_message(
            channel=Channel.IN_APP,
            recipient=coordinator,
            to_address=coordinator.email,
            subject=subject,
            body=body,
            idempotency_key=f"{key}:{coordinator.pk}",
            program=program,
        )


@transaction.atomic
def override_eligibility(*, application: Application, by: User, reason: str) -> Supporter:
    """Accept an application found not eligible, with the coordinator's reason on record."""
    application = Application.objects.select_for_update().get(pk=application.pk)
    if application.outcome != ApplicationOutcome.NOT_ELIGIBLE:
        raise DomainError(_("Only an application found not eligible can be accepted this way."))
    if not reason.strip():
        raise DomainError(_("Please say why you are accepting this application."))
    application.outcome = ApplicationOutcome.OVERRIDDEN
    application.override_reason = reason.strip()
    application.overridden_by = by
    application.save(update_fields=["outcome", "override_reason", "overridden_by"])
    supporter = _admit(application)
    record_event(
        actor=by,
        action="supporters.application.overridden",
        target=application,
        data={"reasons": application.reasons},
    )
    return supporter


def record_application_viewed(*, application: Application, viewer: User) -> None:
    """Notes that someone read an application's sensitive details."""
    record_event(actor=viewer, action="supporters.application.viewed", target=application)


def record_supporter_viewed(*, supporter: Supporter, viewer: User) -> None:
    """Notes that someone read a supporter's record (experiences, notes)."""
    record_event(actor=viewer, action="supporters.supporter.viewed", target=supporter)


# ---- The pipeline ---------------------------------------------------------------------------


def _ensure_in_program(supporter: Supporter, program_id: int) -> None:
    if supporter.program_id != program_id:
        raise DomainError(_("That belongs to another program."))


def _refresh_status(supporter: Supporter, *, actor: User | None) -> None:
    """Moves a supporter on when their records change: to screening, to ready, off a pause."""
    supporter.refresh_from_db(fields=["status", "pause_reason"])
    state = readiness(supporter, _today())
    new_status = supporter.status
    if supporter.status in IN_PIPELINE_STATUSES and state.is_ready:
        new_status = SupporterStatus.ACTIVE
    elif supporter.status == SupporterStatus.APPLIED:
        new_status = SupporterStatus.SCREENING
    elif (
        supporter.status == SupporterStatus.PAUSED
        and supporter.pause_reason == PauseReason.EXPIRED
        and state.is_ready
    ):
        new_status = SupporterStatus.ACTIVE
    if new_status == supporter.status:
        return
    supporter.status = new_status
    supporter.pause_reason = ""
    supporter.save(update_fields=["status", "pause_reason"])
    record_event(
        actor=actor,
        action="supporters.supporter.ready"
        if new_status == SupporterStatus.ACTIVE
        else "supporters.supporter.screening",
        target=supporter,
    )


@transaction.atomic
def record_step(
    *, supporter: Supporter, step: PipelineStep, outcome: StepOutcome | str, notes: str, by: User
) -> StepRecord:
    """Record the outcome of a step (a call, an interview, references, an agreement signed)."""
    _ensure_in_program(supporter, step.program_id)
    if step.kind in (StepKind.BACKGROUND_CHECK, StepKind.TRAINING):
        raise DomainError(
            _("The %(step)s is done by recording it below, not as a step.") % {"step": step.name}
        )
    record = StepRecord.objects.create(
        supporter=supporter,
        step=step,
        outcome=outcome,
        notes=notes,
        recorded_by=by,
        recorded_at=timezone.now(),
    )
    record_event(
        actor=by,
        action="supporters.step.recorded",
        target=supporter,
        data={"step": step.pk, "outcome": str(outcome)},
    )
    _refresh_status(supporter, actor=by)
    return record


def advance_to_next_step(*, supporters: Sequence[Supporter], by: User) -> list[str]:
    """Mark each supporter's current step done; returns, for people, what could not be done."""
    problems: list[str] = []
    for supporter in supporters:
        step = readiness(supporter, _today()).current_step
        if step is None:
            problems.append(_("%(name)s has no step waiting.") % {"name": supporter.display_name})
            continue
        try:
            record_step(supporter=supporter, step=step, outcome=StepOutcome.PASSED, notes="", by=by)
        except DomainError as error:
            problems.append(f"{supporter.display_name}: {error.message}")
    return problems


@transaction.atomic
def record_background_check(
    *,
    supporter: Supporter,
    kind: CheckKind | str,
    status: CheckStatus | str,
    requested_on: dt.date,
    cleared_on: dt.date | None = None,
    expires_on: dt.date | None = None,
    by: User,
) -> BackgroundCheck:
    """Record where a background check stands (its status and dates only, never its content)."""
    if status == CheckStatus.CLEARED and cleared_on is None:
        raise DomainError(_("Please give the day the check was cleared."))
    if cleared_on and cleared_on < requested_on:
        raise DomainError(_("A check cannot be cleared before it was requested."))
    if expires_on and cleared_on and expires_on <= cleared_on:
        raise DomainError(_("A check must expire after the day it was cleared."))
    check = BackgroundCheck.objects.create(
        supporter=supporter,
        kind=kind,
        status=status,
        requested_on=requested_on,
        cleared_on=cleared_on if status == CheckStatus.CLEARED else None,
        expires_on=expires_on if status == CheckStatus.CLEARED else None,
        recorded_by=by,
        recorded_at=timezone.now(),
    )
    record_event(
        actor=by,
        action="supporters.check.recorded",
        target=supporter,
        data={"kind": str(kind), "status": str(status)},
    )
    _refresh_status(supporter, actor=by)
    return check


@transaction.atomic
def record_training(
    *, supporter: Supporter, module: TrainingModule, completed_on: dt.date, by: User
) -> TrainingRecord:
    """Record a completed training; it expires after the module's validity."""
    _ensure_in_program(supporter, module.program_id)
    if completed_on > _today():
        raise DomainError(_("A training cannot be completed in the future."))
    training = TrainingRecord.objects.create(
        supporter=supporter,
        module=module,
        completed_on=completed_on,
        expires_on=add_months(completed_on, module.validity_months)
        if module.validity_months
        else None,
        recorded_by=by,
        recorded_at=timezone.now(),
    )
    record_event(
        actor=by,
        action="supporters.training.recorded",
        target=supporter,
        data={"module": module.pk},
    )
    _refresh_status(supporter, actor=by)
    return training


# ---- Expiry ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Expiring:
    key: str  # which record, for idempotency keys
    what: str  # for people: "the Boundaries training"
    expires_on: dt.date


def _expiring(supporter: Supporter, modules: Sequence[TrainingModule]) -> list[Expiring]:
    """The supporter's current trainings and check that will run out, one per thing."""
    items = []
    for module in modules:
        records = [r for r in supporter.training_records.all() if r.module_id == module.pk]
        if not records or any(record.expires_on is None for record in records):
            continue
        latest = max(records, key=lambda record: (record.expires_on, record.pk))
        assert latest.expires_on is not None
        items.append(
            Expiring(
                key=f"training:{latest.pk}",
                what=_("the %(module)s training") % {"module": module.name},
                expires_on=latest.expires_on,
            )
        )
    checks = list(supporter.background_checks.all())
    if checks and checks[-1].status == CheckStatus.CLEARED and checks[-1].expires_on:
        items.append(
            Expiring(
                key=f"check:{checks[-1].pk}",
                what=_("the background check"),
                expires_on=checks[-1].expires_on,
            )
        )
    return items


@dataclass(frozen=True)
class ExpiryRun:
    reminded: int
    paused: int


def remind_and_pause_on_expiry(*, today: dt.date | None = None) -> ExpiryRun:
    """Remind supporters and coordinators of what will expire; pause supporters whose has.

    Safe to run twice: reminders carry idempotency keys, and a paused supporter is left alone.
    """
    today = today or _today()
    reminded = paused = 0
    modules_by_program: dict[int, list[TrainingModule]] = {}
    for module in TrainingModule.objects.filter(is_required=True):
        modules_by_program.setdefault(module.program_id, []).append(module)
    supporters = (
        Supporter.objects.filter(status=SupporterStatus.ACTIVE)
        .select_related("program", "user")
        .prefetch_related("training_records", "background_checks")
    )
    for supporter in supporters:
        items = _expiring(supporter, modules_by_program.get(supporter.program_id, []))
        expired = [item for item in items if item.expires_on < today]
        if expired:
            _pause_for_expiry(supporter, expired)
            paused += 1
            continue
        lead = supporter.program.expiry_reminder_days
        for item in items:
            if item.expires_on <= today + dt.timedelta(days=lead):
                _remind(supporter, item, lead)
                reminded += 1
    return ExpiryRun(reminded=reminded, paused=paused)


def _remind(supporter: Supporter, item: Expiring, lead: int) -> None:
    day = formats.date_format(item.expires_on, "j F Y")
    with transaction.atomic():
        queue_message(
            channel=Channel.EMAIL,
            to_address=supporter.user.email,
            subject=_("Time to renew: %(what)s") % {"what": item.what},
            body=_(
                "Hello %(name)s,\n\n%(what)s expires on %(day)s. Please renew it before then, "
                "so you can keep being matched.\n"
            )
            % {"name": supporter.display_name, "what": item.what.capitalize(), "day": day},
            idempotency_key=f"supporters.expiry.reminder:{item.key}:{lead}:supporter",
            program=supporter.program,
            recipient=supporter.user,
        )
        _tell_coordinators(
            supporter.program,
            subject=_("A supporter's training or check expires soon"),
            body=_("%(what)s of %(name)s expires on %(day)s.")
            % {"what": item.what.capitalize(), "name": supporter.display_name, "day": day},
            key=f"supporters.expiry.reminder:{item.key}:{lead}",
        )


@transaction.atomic
def _pause_for_expiry(supporter: Supporter, expired: Sequence[Expiring]) -> None:
    locked = Supporter.objects.select_for_update().get(pk=supporter.pk)
    if locked.status != SupporterStatus.ACTIVE:
        return
    locked.status = SupporterStatus.PAUSED
    locked.pause_reason = PauseReason.EXPIRED
    locked.save(update_fields=["status", "pause_reason"])
    what = _(", ").join(item.what for item in expired)
    record_event(
        actor=None,
        action="supporters.supporter.paused",
        target=locked,
        data={"expired": [item.key for item in expired]},
    )
    keys = "+".join(item.key for item in expired)
    queue_message(
        channel=Channel.EMAIL,
        to_address=supporter.user.email,
        subject=_("You are paused from new matches"),
        body=_(
            "Hello %(name)s,\n\n%(what)s has expired, so we have paused new matches for now. "
            "Your current matches go on. Renew it and you will be ready again.\n"
        )
        % {"name": supporter.display_name, "what": what},
        idempotency_key=f"supporters.expiry.paused:{keys}:supporter",
        program=supporter.program,
        recipient=supporter.user,
    )
    _tell_coordinators(
        supporter.program,
        subject=_("A supporter was paused: something expired"),
        body=_("%(name)s is paused from new matches: %(what)s expired.")
        % {"name": supporter.display_name, "what": what},
        key=f"supporters.expiry.paused:{keys}",
    )


# ---- Wellbeing ------------------------------------------------------------------------------

LOW_WELLBEING_SCORE = 2


@transaction.atomic
def record_wellbeing(*, supporter: Supporter, score: int, note: str, by: User) -> WellbeingCheckIn:
    """Keep a supporter's self-care check-in; a low score tells the coordinators at once."""
    if supporter.user_id != by.pk:
        raise DomainError(_("Only supporters themselves can fill in their check-in."))
    if not 1 <= score <= 5:
        raise DomainError(_("Please choose a number from 1 to 5."))
    checkin = WellbeingCheckIn.objects.create(
        supporter=supporter, score=score, note=note, created_at=timezone.now()
    )
    record_event(
        actor=by, action="supporters.wellbeing.recorded", target=supporter, data={"score": score}
    )
    if score <= LOW_WELLBEING_SCORE:
        _tell_coordinators(
            supporter.program,
            subject=_("A supporter may need a check-in"),
            body=_("%(name)s said they are struggling (%(score)d out of 5).")
            % {"name": supporter.display_name, "score": score},
            key=f"supporters.wellbeing.low:{checkin.pk}",
        )
    return checkin


@transaction.atomic
def request_debrief(*, supporter: Supporter, note: str, by: User) -> DebriefRequest:
    """Ask for a debrief after a hard contact; tells the supervisors (or else the coordinators)."""
    if supporter.user_id != by.pk:
        raise DomainError(_("Only supporters themselves can ask for a debrief."))
    debrief = DebriefRequest.objects.create(
        supporter=supporter, note=note, requested_at=timezone.now()
    )
    record_event(actor=by, action="supporters.debrief.requested", target=supporter)
    supervisors = User.objects.filter(
        memberships__program=supporter.program,
        memberships__role=Role.SUPERVISOR,
        memberships__is_active=True,
        is_active=True,
    ).distinct()
    subject = _("A supporter asks for a debrief")
    body = _("%(name)s had a hard contact and would like to talk it through soon.") % {
        "name": supporter.display_name
    }
    if not supervisors:
        _tell_coordinators(
            supporter.program, subject=subject, body=body, key=f"supporters.debrief:{debrief.pk}"
        )
    for supervisor in supervisors:
        queue_message(
            channel=Channel.IN_APP,
            recipient=supervisor,
            to_address=supervisor.email,
            subject=subject,
            body=body,
            idempotency_key=f"supporters.debrief:{debrief.pk}:{supervisor.pk}",
            program=supporter.program,
        )
    return debrief
