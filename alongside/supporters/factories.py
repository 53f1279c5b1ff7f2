import datetime as dt

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from alongside.accounts.factories import MembershipFactory, UserFactory
from alongside.accounts.models import Role
from alongside.programs.factories import ExperienceFactory, ProgramFactory
from alongside.programs.models import ContactMethod, Language, Relationship
from alongside.supporters.models import LivedExperience, Supporter, SupporterStatus


class SupporterFactory(DjangoModelFactory[Supporter]):
    """An active (ready) supporter; pass `status=` for one still in screening."""

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
