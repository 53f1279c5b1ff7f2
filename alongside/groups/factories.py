import datetime as dt

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from alongside.groups.models import Attendance, AttendanceStatus, GroupSession, SessionKind
from alongside.programs.factories import ProgramFactory
from alongside.supporters.factories import SupporterFactory


class GroupSessionFactory(DjangoModelFactory[GroupSession]):
    """A supporter check-in meeting a week from now, online."""

    class Meta:
        model = GroupSession

    program = factory.SubFactory(ProgramFactory)
    kind = SessionKind.CHECK_IN
    title = "Monthly supporter check-in"
    starts_at = factory.LazyFunction(
        lambda: (timezone.now() + dt.timedelta(days=7)).replace(second=0, microsecond=0)
    )
    length_minutes = 60
    video_link = "https://meet.example.org/check-in"


class AttendanceFactory(DjangoModelFactory[Attendance]):
    class Meta:
        model = Attendance

    session = factory.SubFactory(GroupSessionFactory)
    supporter = factory.SubFactory(
        SupporterFactory, program=factory.SelfAttribute("..session.program")
    )
    status = AttendanceStatus.INVITED
    invited_at = factory.LazyFunction(timezone.now)
