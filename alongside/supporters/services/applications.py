"""Applications: submitted from the public form, admitted into the pipeline, or overridden."""

import datetime as dt
import uuid
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from alongside.accounts.models import Role, User
from alongside.accounts.services import invite_person
from alongside.core import repeats
from alongside.core.audit import record_event
from alongside.core.consent import GivenHow
from alongside.core.errors import DomainError
from alongside.notifications.notify import Contact, notify
from alongside.notifications.team import tell_coordinators
from alongside.programs.configuration import eligibility_rules_adapter
from alongside.programs.models import Experience, Program
from alongside.supporters import hooks, messages, steps
from alongside.supporters.consent import APPLICATION_CONSENT
from alongside.supporters.eligibility import ApplicantFacts, ExperienceFact, reasons_not_eligible
from alongside.supporters.models import (
    Application,
    ApplicationOutcome,
    LivedExperience,
    Supporter,
    SupporterStatus,
)


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
    language: str = ""  # the language of the form they filled in ("fr-ca")


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
    """Keep an application with its eligibility result and consent (a record, in the form's
    words); admits the eligible into the pipeline; thanks the person (with the reasons when not
    eligible) in the language of the form they filled in (their account's too, when admitted),
    and tells the coordinators. The same form twice (one `submission_token`), or the same
    answers again within REPEAT_WINDOW (Back, then Send), returns the first, sending nothing."""
    existing = Application.objects.filter(submission_token=submission_token).first()
    if existing is not None:
        return existing
    _ensure_program_takes_applications(program, consent=consent)
    now = timezone.now()
    fingerprint = application_fingerprint(program, answers)
    earlier = _same_answers_lately(fingerprint, now)
    if earlier is not None:
        return earlier
    if Supporter.objects.filter(program=program, user__email__iexact=answers.email).exists():
        raise DomainError(
            _(
                "We already have an application from this e-mail address. "
                "A coordinator will be in touch."
            )
        )
    reasons = _reasons_not_eligible(program, answers)
    application = Application(
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
        language=answers.language,
        outcome=ApplicationOutcome.NOT_ELIGIBLE if reasons else ApplicationOutcome.ELIGIBLE,
        reasons=reasons,
        submitted_at=now,
        answers_fingerprint=fingerprint,
        answers_window=repeats.window_of(now),
    )
    try:
        with transaction.atomic():
            return _keep_application(application)
    except IntegrityError:
        # Two copies of one form (one token, or the same answers) raced; the first one won.
        first = Application.objects.filter(
            Q(submission_token=submission_token)
            | Q(answers_fingerprint=fingerprint, answers_window=repeats.window_of(now))
        ).first()
        if first is None:
            raise
        return first


def _reasons_not_eligible(program: Program, answers: ApplicantAnswers) -> list[str]:
    """Why the applicant is not eligible by the program's rules (none: they are)."""
    rules = eligibility_rules_adapter.validate_python(program.eligibility_rules)
    today = program.calendar.today()  # the program's day, as its eligibility rules count
    return reasons_not_eligible(rules, applicant_facts(program, answers, today))


def _ensure_program_takes_applications(program: Program, *, consent: bool) -> None:
    if not program.is_active:
        raise DomainError(
            _("%(program)s is not taking applications at the moment.") % {"program": program}
        )
    if not consent:
        raise DomainError(_("We can only keep your application with your agreement."))


def _keep_application(application: Application) -> Application:
    """Save it with the consent given, admit the eligible, thank the person and tell the
    coordinators."""
    application.save(force_insert=True)
    record_event(
        actor=None,
        action="supporters.application.submitted",
        target=application,
        data={"outcome": application.outcome},
    )
    hooks.application_consent_given(
        application, [APPLICATION_CONSENT.agreed()], GivenHow.ONLINE_FORM
    )
    if not application.reasons:
        _admit(application)
    _thank_applicant(application)
    tell_coordinators(
        application.program,
        kind=messages.APPLICATION_NEW,
        context={
            "number": application.pk,
            "outcome": ApplicationOutcome(application.outcome).label,
        },
        key=("supporters.application.new", application.pk),
    )
    return application


def application_fingerprint(program: Program, answers: ApplicantAnswers) -> str:
    """Who is applying (their contact details) and what they told us, as a keyed digest."""
    return repeats.fingerprint(
        "supporters.application",
        program.pk,
        answers.email,
        answers.phone,
        answers.experience.pk if answers.experience else "",
        answers.experience_details,
    )


def _same_answers_lately(fingerprint: str, now: dt.datetime) -> Application | None:
    return (
        Application.objects.filter(
            answers_fingerprint=fingerprint,
            answers_window__in=repeats.windows_to_search(now),
            submitted_at__gt=now - repeats.REPEAT_WINDOW,
        )
        .order_by("submitted_at")
        .first()
    )


def _admit(application: Application) -> Supporter:
    """Create the supporter, and invite them to their account, for an application. The
    account gets what signing in and greeting them need (e-mail, first name); their last name
    stays encrypted, on the supporter and the application."""
    known = User.objects.filter(email__iexact=application.email).first()
    if known and Supporter.objects.filter(program=application.program, user=known).exists():
        raise DomainError(_("This person is already a supporter in this program."))
    user = invite_person(
        email=application.email,
        first_name=application.first_name,
        program=application.program,
        role=Role.SUPPORTER,
        invited_by=None,
        language=application.language,
    ).user
    supporter = Supporter.objects.create(
        program=application.program,
        user=user,
        last_name=application.last_name,
        status=SupporterStatus.APPLIED,
        work_role=application.work_role,
        languages=application.program.languages[:1],
        contact_methods=application.program.contact_methods[:1],
    )
    if application.experience and application.relationship:
        LivedExperience.objects.create(
            supporter=supporter,
            experience=application.experience,
            relationship=application.relationship,
            since=application.experience_since,
        )
    application.supporter = supporter
    application.save(update_fields=["supporter"])
    steps.place_again([supporter.pk], supporter.created_at)  # at the first step
    record_event(actor=None, action="supporters.supporter.admitted", target=supporter)
    return supporter


def _thank_applicant(application: Application) -> None:
    not_eligible = application.outcome == ApplicationOutcome.NOT_ELIGIBLE
    notify(
        kind=messages.APPLICATION_RECEIVED,
        recipients=[
            Contact(
                email=application.email,
                name=application.first_name,
                language=application.language,
            )
        ],
        context={"reasons": list(application.reasons) if not_eligible else []},
        idempotency_key=("supporters.application.received", application.pk),
        program=application.program,
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


@transaction.atomic
def deidentify_application(*, application: Application) -> None:
    """Replace the personal data of an application never accepted (names, contact details, date
    of birth, their words) with nothing; the row keeps its program, date, outcome and reasons,
    which reports count. The caller (privacy's retention) audits it."""
    application.first_name = ""
    application.last_name = ""
    application.email = ""
    application.phone = ""
    application.date_of_birth = ""
    application.experience_details = ""
    application.work_role = ""
    application.experience_since = None
    application.override_reason = ""
    application.answers_fingerprint = ""
    application.answers_window = None
    application.save()  # through save, so the blind indexes are emptied too
