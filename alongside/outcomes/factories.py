import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from alongside.matches.factories import MatchFactory
from alongside.outcomes.models import Instrument, Occasion, ProgramInstrument, Survey
from alongside.outcomes.seed import seed_instruments

LONELINESS = "loneliness-3"


def seeded_instrument(slug: str = LONELINESS) -> Instrument:
    """One of the instruments the migrations seed (seeded again if a flush removed them)."""
    if not Instrument.objects.filter(slug=slug).exists():
        seed_instruments(Instrument)
    return Instrument.objects.get(slug=slug)


class ProgramInstrumentFactory(DjangoModelFactory[ProgramInstrument]):
    class Meta:
        model = ProgramInstrument

    instrument = factory.LazyFunction(seeded_instrument)
    at_start = True
    at_milestones = False
    at_closure = True


class SurveyFactory(DjangoModelFactory[Survey]):
    class Meta:
        model = Survey

    match = factory.SubFactory(MatchFactory)
    program = factory.SelfAttribute("match.program")
    instrument = factory.LazyFunction(seeded_instrument)
    occasion = Occasion.START
    sent_at = factory.LazyFunction(timezone.now)
