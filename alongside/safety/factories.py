import datetime as dt

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from alongside.accounts.factories import UserFactory
from alongside.programs.factories import ProgramFactory
from alongside.safety.models import OnCallShift, SafetyContact, ShiftOrder


class OnCallShiftFactory(DjangoModelFactory[OnCallShift]):
    """A shift that covers now and the next day, unless told otherwise."""

    class Meta:
        model = OnCallShift

    program = factory.SubFactory(ProgramFactory)
    user = factory.SubFactory(UserFactory)
    starts_at = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(hours=1))
    ends_at = factory.LazyAttribute(lambda shift: shift.starts_at + dt.timedelta(days=1))
    order = ShiftOrder.PRIMARY


class SafetyContactFactory(DjangoModelFactory[SafetyContact]):
    class Meta:
        model = SafetyContact

    user = factory.SubFactory(UserFactory)
    mobile_phone = "+14165550123"
