import datetime as dt
import uuid

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from alongside.accounts.factories import MembershipFactory, UserFactory
from alongside.accounts.models import Role
from alongside.core.calendar import add_months
from alongside.programs.factories import ExperienceFactory, ProgramFactory
from alongside.programs.models import ContactMethod, Language, Program, Relationship, StepKind
from alongside.supporters.models import (
    Application,
    ApplicationOutcome,
    BackgroundCheck,
    CheckKind,
    CheckStatus,
    LivedExperience,
    StepOutcome,
    StepRecord,
    Supporter,
    SupporterStatus,
    TrainingRecord,
)
from alongside.supporters.services.pipeline import create_default_pipeline
from alongside.supporters.steps import STEP_FIELDS, place_again


class SupporterFactory(DjangoModelFactory[Supporter]):
    """An active (ready) supporter: its program has no pipeline steps unless you add them.

    For one who is not ready, see `not_ready_supporter` and `make_ready` below.
    """

    class Meta:
        model = Supporter
        skip_postgeneration_save = True

    program = factory.SubFactory(ProgramFactory)
    user = factory.SubFactory(UserFactory)
    status = SupporterStatus.ACTIVE
    languages = factory.LazyFunction(lambda: [Language.ENGLISH])
    contact_methods = factory.LazyFunction(lambda: [ContactMethod.PHONE, ContactMethod.EMAIL])
    max_concurrent_matches = 2
    region = "Ontario"
    time_zone = "America/Toronto"
    commitment_starts_on = factory.LazyFunction(
        lambda: timezone.localdate() - dt.timedelta(days=60)
    )
    commitment_ends_on = factory.LazyAttribute(
        lambda supporter: supporter.commitment_starts_on + dt.timedelta(days=365)
    )

    @factory.post_generation
    def membership(self, create: bool, extracted: object) -> None:
        if create:
            MembershipFactory(user=self.user, program=self.program, role=Role.SUPPORTER)


class LivedExperienceFactory(DjangoModelFactory[LivedExperience]):
    class Meta:
        model = LivedExperience
        django_get_or_create = ("supporter", "experience", "relationship")

    supporter = factory.SubFactory(SupporterFactory)
    experience = factory.SubFactory(ExperienceFactory)
    relationship = Relationship.SELF
    since = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=365 * 5))


def not_ready_supporter(*, program: Program | None = None, **fields: object) -> Supporter:
    """A supporter in screening whose program has the default pipeline and nothing done yet:
    waiting at its first step, as the services that add one place them (supporters/steps.py)."""
    chosen: Program = program or ProgramFactory.create()
    create_default_pipeline(program=chosen, created_by=None)
    supporter = SupporterFactory(program=chosen, status=SupporterStatus.SCREENING, **fields)
    place_again([supporter.pk], supporter.created_at)
    supporter.refresh_from_db(fields=STEP_FIELDS)
    return supporter


def make_ready(supporter: Supporter, *, on: dt.date | None = None) -> Supporter:
    """Record every step, a cleared check and every training for `supporter`, as of `on`.

    One still in the pipeline becomes active; a paused or away one keeps their status.
    """
    day = on or timezone.localdate()
    recorded_at = timezone.now()
    for step in supporter.program.pipeline_steps.all():
        if step.kind == StepKind.BACKGROUND_CHECK:
            BackgroundCheck.objects.create(
                supporter=supporter,
                kind=CheckKind.CRIMINAL_RECORD,
                status=CheckStatus.CLEARED,
                requested_on=day - dt.timedelta(days=30),
                cleared_on=day,
                expires_on=add_months(day, 36),
                recorded_at=recorded_at,
            )
        elif step.kind != StepKind.TRAINING:
            StepRecord.objects.create(
                supporter=supporter, step=step, outcome=StepOutcome.PASSED, recorded_at=recorded_at
            )
    for module in supporter.program.training_modules.all():
        TrainingRecord.objects.create(
            supporter=supporter,
            module=module,
            completed_on=day,
            expires_on=add_months(day, module.validity_months) if module.validity_months else None,
            recorded_at=recorded_at,
        )
    if supporter.status in (SupporterStatus.APPLIED, SupporterStatus.SCREENING):
        supporter.status = SupporterStatus.ACTIVE
        supporter.save(update_fields=["status"])
    return supporter


class ApplicationFactory(DjangoModelFactory[Application]):
    """An application found not eligible (too young), kept for a coordinator to review."""

    class Meta:
        model = Application

    program = factory.SubFactory(ProgramFactory)
    submission_token = factory.LazyFunction(uuid.uuid4)
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.LazyAttributeSequence(
        lambda application, number: f"applicant.{number}@example.org"
    )
    date_of_birth = "2012-05-01"
    relationship = Relationship.SELF
    outcome = ApplicationOutcome.NOT_ELIGIBLE
    reasons = factory.LazyFunction(lambda: ["supporters need to be at least 18 years old"])
    submitted_at = factory.LazyFunction(timezone.now)
