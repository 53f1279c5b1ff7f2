import factory
from factory.django import DjangoModelFactory

from alongside.programs.factories import ProgramFactory
from alongside.resources.models import Resource, ResourceCategory


class ResourceFactory(DjangoModelFactory[Resource]):
    class Meta:
        model = Resource

    program = factory.SubFactory(ProgramFactory)
    name = factory.Sequence(lambda number: f"Community service {number}")
    offers = "Free counselling sessions, in person or by phone."
    category = ResourceCategory.MENTAL_HEALTH
    region = "Toronto"
    languages = factory.LazyFunction(lambda: ["en", "fr"])
    contact = "416 555 0100"
