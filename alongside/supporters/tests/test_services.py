"""Applications, the pipeline, the readiness gate (as matching enforces it) and expiry."""

import datetime as dt
import uuid
from types import SimpleNamespace

import pytest
import time_machine
from django.db import connection
from django.utils import timezone

from alongside.accounts.factories import user_with_role
from alongside.accounts.models import Role
from alongside.core import blind_index
from alongside.core.calendar import add_months
from alongside.core.errors import DomainError
from alongside.core.models import AuditEvent
from alongside.core.repeats import REPEAT_WINDOW
from alongside.intake.factories import SupportRequestFactory
from alongside.matches.services.lifecycle import start_match
from alongside.notifications.models import OutboxMessage
from alongside.periodic.runner import run_job
from alongside.programs.models import StepKind
from alongside.supporters import jobs
from alongside.supporters.factories import (
    ApplicationFactory,
    LivedExperienceFactory,
    SupporterFactory,
    make_ready,
    not_ready_supporter,
)
from alongside.supporters.models import (
    Application,
    ApplicationOutcome,
    CheckKind,
    CheckStatus,
    PauseReason,
    StepOutcome,
    Supporter,
    SupporterStatus,
)
from alongside.supporters.queries import readiness
from alongside.supporters.services import applications, pipeline
from alongside.supporters.services.applications import ApplicantAnswers

pytestmark = pytest.mark.django_db

MS_RULES = [
    {"kind": "minimum_age", "years": 18},
    {
        "kind": "lived_experience",
        "experiences": ["ms"],
        "relationships": ["self", "family"],
        "minimum_years": 2,
    },
]


@pytest.fixture
def ms_program(program_a):
    program_a.eligibility_rules = MS_RULES
    program_a.save()
    pipeline.create_default_pipeline(program=program_a, created_by=None)
    return program_a


def answers(ms, **changes) -> ApplicantAnswers:
    fields = {
        "first_name": "Alex",
        "last_name": "Doe",
        "email": "alex.applicant@example.org",
        "date_of_birth": dt.date(1985, 6, 1),
        "experience": ms,
        "relationship": "self",
        "experience_since": dt.date(2015, 1, 1),
        "experience_details": "Diagnosed in 2015.",
    }
    fields.update(changes)
    return ApplicantAnswers(**fields)


def apply(program, ms, **changes) -> Application:
    return applications.submit_application(
        program=program,
        submission_token=uuid.uuid4(),
        answers=answers(ms, **changes),
        consent=True,
    )


# ---- applications --------------------------------------------------------------------------


def test_an_eligible_applicant_becomes_a_supporter_in_the_pipeline(ms_program, ms, coordinator_a):
    application = apply(ms_program, ms)

    assert application.outcome == ApplicationOutcome.ELIGIBLE
    supporter = application.supporter
    assert supporter is not None
    assert supporter.status == SupporterStatus.APPLIED
    assert supporter.user.email == "alex.applicant@example.org"
    assert supporter.experiences.get().experience == ms
    assert (
        OutboxMessage.objects.filter(
            idempotency_key__startswith="supporters.application.received"
        ).count()
        == 1
    )
    assert OutboxMessage.objects.filter(recipient=coordinator_a).count() == 1


def test_an_admitted_applicants_account_holds_no_last_name_their_supporter_keeps_it_encrypted(
    ms_program, ms
):
    application = apply(ms_program, ms, last_name="Gagnon-Tremblay")

    supporter = application.supporter
    assert (supporter.user.first_name, supporter.user.last_name) == ("Alex", "")
    assert Supporter.objects.get(pk=supporter.pk).last_name == "Gagnon-Tremblay"
    found = Supporter.objects.filter(blind_index.matches(Supporter, "last_name", "tremblay"))
    assert list(found) == [supporter]
    with connection.cursor() as cursor:
        cursor.execute("SELECT last_name FROM supporters_supporter WHERE id = %s", [supporter.pk])
        assert "Tremblay" not in cursor.fetchone()[0]


def test_an_admitted_applicant_is_invited_to_choose_a_password(ms_program, ms):
    application = apply(ms_program, ms)

    user = application.supporter.user
    assert not user.has_usable_password()
    (invitation,) = OutboxMessage.objects.filter(kind="accounts.invitation.sent")
    assert invitation.to_address == "alex.applicant@example.org"
    assert user.memberships.filter(program=ms_program, role="supporter").exists()


def test_an_ineligible_application_is_kept_with_its_reason_and_no_supporter(ms_program, ms):
    application = apply(ms_program, ms, date_of_birth=timezone.localdate() - dt.timedelta(days=400))

    assert application.outcome == ApplicationOutcome.NOT_ELIGIBLE
    assert application.reasons == ["supporters need to be at least 18 years old"]
    assert application.supporter is None
    assert not Supporter.objects.filter(user__email="alex.applicant@example.org").exists()
    thanks = OutboxMessage.objects.get(
        idempotency_key__startswith="supporters.application.received"
    )
    assert "at least 18 years old" in thanks.body


def test_the_sensitive_answers_are_encrypted_at_rest(ms_program, ms):
    from django.db import connection

    application = apply(ms_program, ms)

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT date_of_birth, experience_details FROM supporters_application WHERE id = %s",
            [application.pk],
        )
        stored = cursor.fetchone()
    assert "1985" not in stored[0]
    assert "Diagnosed" not in stored[1]


def test_sending_the_same_application_twice_keeps_one(ms_program, ms):
    token = uuid.uuid4()
    first = applications.submit_application(
        program=ms_program, submission_token=token, answers=answers(ms), consent=True
    )
    second = applications.submit_application(
        program=ms_program, submission_token=token, answers=answers(ms), consent=True
    )

    assert first.pk == second.pk
    assert Application.objects.count() == 1


# Not eligible, so that no supporter is created and a second application is not refused.
TOO_YOUNG = dt.date(2020, 1, 1)


def test_the_same_answers_under_a_new_token_are_the_first_application(ms_program, ms):
    first = apply(ms_program, ms, date_of_birth=TOO_YOUNG)
    messages = OutboxMessage.objects.count()

    again = apply(ms_program, ms, date_of_birth=TOO_YOUNG, email=" Alex.Applicant@example.org")

    assert again.pk == first.pk
    assert Application.objects.count() == 1
    assert OutboxMessage.objects.count() == messages


def test_the_same_answers_after_half_an_hour_are_a_new_application(ms_program, ms):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        first = apply(ms_program, ms, date_of_birth=TOO_YOUNG)
    with time_machine.travel(start + REPEAT_WINDOW + dt.timedelta(seconds=1), tick=False):
        later = apply(ms_program, ms, date_of_birth=TOO_YOUNG)

    assert later.pk != first.pk


def test_an_application_needs_consent(ms_program, ms):
    with pytest.raises(DomainError, match="agreement"):
        applications.submit_application(
            program=ms_program, submission_token=uuid.uuid4(), answers=answers(ms), consent=False
        )


def test_a_second_application_from_the_same_address_is_refused_kindly(ms_program, ms):
    apply(ms_program, ms)

    with pytest.raises(DomainError, match="already have an application"):
        apply(ms_program, ms, experience_details="Something else I wanted to add.")


def test_a_coordinator_can_accept_an_ineligible_application_with_a_reason(
    ms_program, coordinator_a
):
    application = ApplicationFactory(program=ms_program)

    supporter = applications.override_eligibility(
        application=application, by=coordinator_a, reason="Turns 18 next month; trains meanwhile."
    )

    application.refresh_from_db()
    assert application.outcome == ApplicationOutcome.OVERRIDDEN
    assert application.override_reason == "Turns 18 next month; trains meanwhile."
    assert application.reasons  # the original reasons are kept
    assert supporter.status == SupporterStatus.APPLIED
    assert AuditEvent.objects.filter(action="supporters.application.overridden").exists()


def test_an_override_needs_a_reason(ms_program, coordinator_a):
    with pytest.raises(DomainError, match="say why"):
        applications.override_eligibility(
            application=ApplicationFactory(program=ms_program), by=coordinator_a, reason="  "
        )


# ---- the pipeline and the readiness gate -----------------------------------------------------


def test_the_default_pipeline_is_created_once(program_a):
    pipeline.create_default_pipeline(program=program_a, created_by=None)
    pipeline.create_default_pipeline(program=program_a, created_by=None)

    assert program_a.pipeline_steps.count() == 7
    assert program_a.training_modules.count() == 3


def test_a_supporter_in_a_program_without_steps_is_ready(supporter_a):
    assert readiness(supporter_a, timezone.localdate()).is_ready


def test_a_new_supporter_is_missing_every_required_step(program_a):
    supporter = not_ready_supporter(program=program_a)

    state = readiness(supporter, timezone.localdate())

    assert state.current_step is not None
    assert state.current_step.kind == StepKind.SCREENING_CALL
    assert "has no background check yet" in state.missing
    assert "has not completed the Boundaries training" in state.missing
    assert "has not signed the code of conduct" in state.missing


def test_recording_every_step_makes_the_supporter_ready_and_active(program_a, coordinator_a):
    supporter = not_ready_supporter(program=program_a)
    today = timezone.localdate()
    for step in program_a.pipeline_steps.exclude(
        kind__in=[StepKind.BACKGROUND_CHECK, StepKind.TRAINING]
    ):
        pipeline.record_step(
            supporter=supporter, step=step, outcome=StepOutcome.PASSED, notes="", by=coordinator_a
        )
    pipeline.record_background_check(
        supporter=supporter,
        kind=CheckKind.CRIMINAL_RECORD,
        status=CheckStatus.CLEARED,
        requested_on=today - dt.timedelta(days=10),
        cleared_on=today,
        expires_on=add_months(today, 36),
        by=coordinator_a,
    )
    for module in program_a.training_modules.all():
        pipeline.record_training(
            supporter=supporter, module=module, completed_on=today, by=coordinator_a
        )

    supporter.refresh_from_db()
    assert readiness(supporter, today).is_ready
    assert supporter.status == SupporterStatus.ACTIVE
    assert AuditEvent.objects.filter(action="supporters.supporter.ready").count() == 1


def test_a_step_not_passed_says_so(program_a, coordinator_a):
    supporter = not_ready_supporter(program=program_a)
    interview = program_a.pipeline_steps.get(kind=StepKind.INTERVIEW)

    pipeline.record_step(
        supporter=supporter,
        step=interview,
        outcome=StepOutcome.NOT_PASSED,
        notes="Not the right time.",
        by=coordinator_a,
    )

    assert "did not pass the interview" in readiness(supporter, timezone.localdate()).missing


def test_the_matching_service_refuses_a_supporter_whose_check_is_pending(
    program_a, ms, coordinator_a
):
    supporter = make_ready(not_ready_supporter(program=program_a))
    pipeline.record_background_check(
        supporter=supporter,
        kind=CheckKind.VULNERABLE_SECTOR,
        status=CheckStatus.REQUESTED,
        requested_on=timezone.localdate(),
        by=coordinator_a,
    )
    request = SupportRequestFactory(program=program_a, experience=ms)

    with pytest.raises(DomainError, match="background check is pending"):
        start_match(support_request=request, supporter=supporter, started_by=coordinator_a)


def test_the_matching_service_names_an_expired_training_with_its_day(program_a, ms, coordinator_a):
    supporter = make_ready(not_ready_supporter(program=program_a), on=dt.date(2020, 3, 3))
    supporter.training_records.exclude(module__name="Boundaries").update(expires_on=None)
    supporter.background_checks.update(expires_on=None)
    request = SupportRequestFactory(program=program_a, experience=ms)

    with pytest.raises(DomainError) as refused:
        start_match(support_request=request, supporter=supporter, started_by=coordinator_a)

    assert refused.value.message == (
        f"{supporter.display_name} cannot be matched: has not completed the Boundaries "
        "training (expired 3 March 2022)."
    )


def test_a_ready_supporter_can_be_matched(program_a, ms, coordinator_a):
    supporter = make_ready(not_ready_supporter(program=program_a))
    LivedExperienceFactory(supporter=supporter, experience=ms)
    request = SupportRequestFactory(program=program_a, experience=ms)

    match = start_match(support_request=request, supporter=supporter, started_by=coordinator_a)

    assert match.supporter == supporter


def test_the_board_advance_marks_only_plain_steps_and_says_why_not_the_others(
    program_a, coordinator_a
):
    supporter = not_ready_supporter(program=program_a)
    for _ in range(3):  # screening call, interview, references
        assert pipeline.advance_to_next_step(supporters=[supporter], by=coordinator_a) == []

    problems = pipeline.advance_to_next_step(supporters=[supporter], by=coordinator_a)

    assert problems == [
        f"{supporter.display_name}: The background check is done by recording it below, "
        "not as a step."
    ]
    supporter.refresh_from_db()
    assert supporter.status == SupporterStatus.SCREENING


def test_a_check_cannot_be_cleared_without_a_day(program_a, coordinator_a):
    with pytest.raises(DomainError, match="day the check was cleared"):
        pipeline.record_background_check(
            supporter=not_ready_supporter(program=program_a),
            kind=CheckKind.CRIMINAL_RECORD,
            status=CheckStatus.CLEARED,
            requested_on=timezone.localdate(),
            by=coordinator_a,
        )


def test_a_training_expires_after_the_modules_validity(program_a, coordinator_a):
    supporter = not_ready_supporter(program=program_a)
    crisis = program_a.training_modules.get(name="Crisis response")

    record = pipeline.record_training(
        supporter=supporter, module=crisis, completed_on=dt.date(2024, 1, 31), by=coordinator_a
    )

    assert record.expires_on == dt.date(2025, 1, 31)
    assert add_months(dt.date(2024, 1, 31), 1) == dt.date(2024, 2, 29)


# ---- expiry ------------------------------------------------------------------------------------


def run_expiry_jobs(*, today: dt.date) -> SimpleNamespace:
    """The two daily expiry jobs, as the worker runs them on the morning of `today`."""
    morning = dt.datetime.combine(today, dt.time(6, 15), tzinfo=dt.UTC)
    paused = run_job(jobs.pause_on_expiry, now=morning).changed
    reminded = run_job(jobs.remind_before_expiry, now=morning).changed
    return SimpleNamespace(reminded=reminded, paused=paused)


@pytest.fixture
def trained(program_a, coordinator_a):
    """A ready supporter whose Crisis response training (12 months) was done on 1 March 2025."""
    with time_machine.travel(dt.datetime(2025, 3, 1, 12, tzinfo=dt.UTC), tick=False):
        supporter = make_ready(not_ready_supporter(program=program_a), on=dt.date(2025, 3, 1))
    return supporter


def test_a_reminder_goes_to_supporter_and_coordinator_ahead_of_expiry_once(trained, coordinator_a):
    day = dt.date(2026, 2, 10)  # 19 days before Crisis response expires; the program warns 30

    first = run_expiry_jobs(today=day)
    second = run_expiry_jobs(today=day)

    assert first.reminded == 1
    assert second.reminded == 0  # the training keeps its reminder, so it is not due again
    assert OutboxMessage.objects.filter(recipient=trained.user).count() == 1
    assert OutboxMessage.objects.filter(recipient=coordinator_a).count() == 1
    trained.refresh_from_db()
    assert trained.status == SupporterStatus.ACTIVE


def test_no_reminder_before_the_lead_time(trained):
    assert run_expiry_jobs(today=dt.date(2026, 1, 1)).reminded == 0
    assert not OutboxMessage.objects.exists()


def test_on_expiry_the_supporter_is_paused_and_the_coordinator_told_once(trained, coordinator_a):
    day = dt.date(2026, 3, 2)

    first = run_expiry_jobs(today=day)
    second = run_expiry_jobs(today=day)

    trained.refresh_from_db()
    assert (first.paused, second.paused) == (1, 0)
    assert trained.status == SupporterStatus.PAUSED
    assert trained.pause_reason == PauseReason.EXPIRED
    told = OutboxMessage.objects.get(recipient=coordinator_a)
    assert "Crisis response" in told.body
    assert AuditEvent.objects.filter(action="supporters.supporter.paused").count() == 1


def test_renewing_the_expired_training_makes_a_paused_supporter_ready_again(trained, coordinator_a):
    run_expiry_jobs(today=dt.date(2026, 3, 2))
    crisis = trained.program.training_modules.get(name="Crisis response")

    pipeline.record_training(
        supporter=trained, module=crisis, completed_on=timezone.localdate(), by=coordinator_a
    )

    trained.refresh_from_db()
    assert trained.status == SupporterStatus.ACTIVE


def test_a_supporter_paused_for_another_reason_stays_paused(program_a, coordinator_a):
    supporter = SupporterFactory(program=program_a, status=SupporterStatus.PAUSED)
    other = user_with_role(Role.COORDINATOR, program_a, email="c2@example.org")
    pipeline.create_default_pipeline(program=program_a, created_by=other)
    make_ready(supporter)
    supporter.status = SupporterStatus.PAUSED
    supporter.save()
    crisis = program_a.training_modules.get(name="Crisis response")

    pipeline.record_training(
        supporter=supporter, module=crisis, completed_on=timezone.localdate(), by=coordinator_a
    )

    supporter.refresh_from_db()
    assert supporter.status == SupporterStatus.PAUSED
