import uuid

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from alongside.intake.models import Peer, RequestStatus, Source, SupportRequest
from alongside.programs.factories import ProgramFactory
from alongside.programs.models import ContactMethod, Language, Relationship


class PeerFactory(DjangoModelFactory[Peer]):
    class Meta:
        model = Peer

    program = factory.SubFactory(ProgramFactory)
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.LazyAttributeSequence(
        lambda peer, number: f"{peer.first_name.lower()}.peer{number}@example.net"
    )
    phone = "+14165550123"
    language = Language.ENGLISH


class SupportRequestFactory(DjangoModelFactory[SupportRequest]):
    """A request received now, due by the program's SLA (as the intake service would set it)."""

    class Meta:
        model = SupportRequest

    program = factory.SubFactory(ProgramFactory)
    peer = factory.SubFactory(PeerFactory, program=factory.SelfAttribute("..program"))
    source = Source.PUBLIC_FORM
    status = RequestStatus.NEW
    relationship = Relationship.SELF
    contact_methods = factory.LazyFunction(lambda: [ContactMethod.PHONE, ContactMethod.EMAIL])
    language = Language.ENGLISH
    about = "I was diagnosed last year and would like to talk to someone who understands."
    consent_given_at = factory.LazyFunction(timezone.now)
    received_at = factory.LazyFunction(timezone.now)
    due_at = factory.LazyAttribute(
        lambda request: request.program.calendar.due_at(
            request.received_at, request.program.sla_business_days
        )
    )
    submission_token = factory.LazyFunction(uuid.uuid4)
