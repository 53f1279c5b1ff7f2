import datetime as dt

import factory
from factory.django import DjangoModelFactory

from alongside.programs.models import (
    ContactMethod,
    Experience,
    ExperienceCategory,
    Language,
    Program,
    Site,
    SiteKind,
)


class ExperienceFactory(DjangoModelFactory[Experience]):
    class Meta:
        model = Experience
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda number: f"experience-{number}")
    name = factory.LazyAttribute(lambda experience: experience.slug.replace("-", " ").capitalize())
    category = ExperienceCategory.HEALTH_CONDITION


class ProgramFactory(DjangoModelFactory[Program]):
    class Meta:
        model = Program
        django_get_or_create = ("slug",)
        skip_postgeneration_save = True

    slug = factory.Sequence(lambda number: f"program-{number}")
    name = factory.LazyAttribute(lambda program: f"Peer support {program.slug}")
    description = "One-to-one peer support by phone and online."
    country = "CA"
    subdivision = "ON"
    time_zone = "America/Toronto"
    business_day_ends_at = dt.time(17, 0)
    sla_business_days = 2
    languages = factory.LazyFunction(lambda: [Language.ENGLISH, Language.FRENCH])
    contact_methods = factory.LazyFunction(
        lambda: [ContactMethod.PHONE, ContactMethod.EMAIL, ContactMethod.VIDEO, ContactMethod.TEXT]
    )
    match_length_weeks = 26
    crisis_message = "In crisis? Call or text 9-8-8, day or night."

    @factory.post_generation
    def experiences(self, create: bool, extracted: list[Experience] | None) -> None:
        if create and extracted:
            self.experiences.add(*extracted)


class SiteFactory(DjangoModelFactory[Site]):
    class Meta:
        model = Site
        django_get_or_create = ("program", "name")

    program = factory.SubFactory(ProgramFactory)
    name = factory.Sequence(lambda number: f"Site {number}")
    kind = SiteKind.FACILITY
