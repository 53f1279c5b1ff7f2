import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from alongside.intake.factories import SupportRequestFactory
from alongside.intake.models import RequestStatus
from alongside.matches.models import ContactLog, Match, MatchStatus, SupportType
from alongside.programs.factories import ProgramFactory
from alongside.programs.models import ContactMethod
from alongside.supporters.factories import SupporterFactory


class MatchFactory(DjangoModelFactory[Match]):
    class Meta:
        model = Match

    program = factory.SubFactory(ProgramFactory)
    request = factory.SubFactory(
        SupportRequestFactory,
        program=factory.SelfAttribute("..program"),
        status=RequestStatus.MATCHED,
    )
    supporter = factory.SubFactory(SupporterFactory, program=factory.SelfAttribute("..program"))
    status = MatchStatus.ACTIVE
    started_at = factory.LazyFunction(timezone.now)


class ContactLogFactory(DjangoModelFactory[ContactLog]):
    class Meta:
        model = ContactLog

    match = factory.SubFactory(MatchFactory)
    logged_by = factory.LazyAttribute(lambda contact: contact.match.supporter.user)
    occurred_at = factory.LazyFunction(timezone.now)
    minutes = 45
    method = ContactMethod.PHONE
    was_made = True
    support_types = factory.LazyFunction(lambda: [SupportType.EMOTIONAL])
    note = "We talked about managing fatigue at work."
