import datetime as dt

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from alongside.intake.factories import SupportRequestFactory
from alongside.intake.models import RequestStatus
from alongside.matches.models import (
    CheckIn,
    CheckInKind,
    ContactLog,
    Goal,
    HoursReport,
    Match,
    MatchStatus,
    SupportType,
)
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


class CheckInFactory(DjangoModelFactory[CheckIn]):
    class Meta:
        model = CheckIn

    match = factory.SubFactory(MatchFactory)
    kind = CheckInKind.MILESTONE
    month = 1
    due_on = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=30))


class GoalFactory(DjangoModelFactory[Goal]):
    class Meta:
        model = Goal

    match = factory.SubFactory(MatchFactory, program__is_goal_based=True)
    description = "Get back to swimming once a week."
    agreed_on = factory.LazyFunction(timezone.localdate)


class HoursReportFactory(DjangoModelFactory[HoursReport]):
    class Meta:
        model = HoursReport

    supporter = factory.SubFactory(SupporterFactory)
    program = factory.SelfAttribute("supporter.program")
    month = factory.LazyFunction(
        lambda: (timezone.localdate().replace(day=1) - dt.timedelta(days=1)).replace(day=1)
    )
    logged_minutes = 150
    logged_contacts = 3
    logged_methods = factory.LazyFunction(lambda: {"phone": 3})
