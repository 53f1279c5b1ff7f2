"""Reads about group sessions shared by the coordinator's pages and the supporter's own page."""

import datetime as dt

from django.db.models import Count, Q, QuerySet
from django.utils import formats

from alongside.accounts.models import User
from alongside.groups.models import (
    RECORDED_STATUSES,
    Attendance,
    AttendanceStatus,
    GroupSession,
    GroupSessionQuerySet,
)
from alongside.programs.models import Program
from alongside.supporters.models import Supporter, SupporterStatus


def local_start(session: GroupSession) -> dt.datetime:
    """When the session starts, on the program's clock."""
    return session.starts_at.astimezone(session.program.calendar.zone)


def local_start_text(session: GroupSession) -> str:
    """ "Tuesday 3 June 2025, 18:00 EDT": the start on the program's clock, for messages."""
    start = local_start(session)
    return f"{formats.date_format(start, 'l j F Y, H:i')} {start.tzname()}"


def sessions_for_staff(user: User) -> GroupSessionQuerySet:
    """Sessions of the programs the user manages."""
    return GroupSession.objects.managed_by(user).select_related("program")


def with_counts(sessions: QuerySet[GroupSession]) -> QuerySet[GroupSession]:
    """The sessions, each with how many are invited, coming, and came."""
    return sessions.annotate(
        invited_count=Count("attendances"),
        coming_count=Count("attendances", filter=Q(attendances__status=AttendanceStatus.ATTENDING)),
        attended_count=Count(
            "attendances", filter=Q(attendances__status=AttendanceStatus.ATTENDED)
        ),
    )


def invitable_supporters(program: Program) -> QuerySet[Supporter]:
    """The program's supporters who can be invited: those active (ready)."""
    return (
        Supporter.objects.filter(program=program, status=SupporterStatus.ACTIVE)
        .select_related("user")
        .order_by("user__first_name", "user__last_name", "pk")
    )


def attendances_of(session: GroupSession) -> QuerySet[Attendance]:
    return session.attendances.select_related("supporter__user").order_by(
        "supporter__user__first_name", "supporter__user__last_name", "pk"
    )


def attendance_was_taken(session: GroupSession) -> bool:
    return session.attendances.filter(status__in=RECORDED_STATUSES).exists()


def upcoming_for_supporter(
    supporter: Supporter, now: dt.datetime, *, limit: int = 10
) -> list[Attendance]:
    """The first few sessions a supporter is invited to that have not started, soonest first."""
    return list(
        Attendance.objects.filter(supporter=supporter, session__starts_at__gte=now)
        .select_related("session__program")
        .order_by("session__starts_at", "session__pk")[:limit]
    )
