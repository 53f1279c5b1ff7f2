"""With a history: the program's group sessions every other week over the last eighteen months
and the next month, with the supporters invited and, for those held, who attended.

A cancelled session says why and takes no attendance; one still to come has answers only.
"""

import datetime as dt

from alongside.demo.province.programs import ProvinceProgram
from alongside.demo.province.supporters import HISTORY_DAYS, bulk
from alongside.demo.shared import Seeder
from alongside.groups.models import Attendance, AttendanceStatus, GroupSession, SessionKind
from alongside.supporters.models import Supporter, SupporterStatus

TITLES = {
    SessionKind.PEER_GROUP: "Peer support circle",
    SessionKind.WORKSHOP: "Workshop: boundaries and self-care",
    SessionKind.CHECK_IN: "Supporters' monthly check-in",
}
EVERY = dt.timedelta(days=14)


def add_sessions(seeder: Seeder, place: ProvinceProgram) -> int:
    """The sessions and their attendance; returns how many sessions."""
    rng, program = seeder.rng, place.program
    invitable = list(
        Supporter.objects.filter(program=program, status=SupporterStatus.ACTIVE).values_list(
            "pk", flat=True
        )
    )
    kinds = list(SessionKind)
    first = seeder.today - dt.timedelta(days=HISTORY_DAYS)
    starts = dt.datetime.combine(first, dt.time(18, 30), tzinfo=program.calendar.zone)
    sessions: list[GroupSession] = []
    while starts < seeder.now + dt.timedelta(days=30):
        cancelled = rng.random() < 0.05 and starts < seeder.now
        kind = kinds[len(sessions) % len(kinds)]
        sessions.append(
            GroupSession(
                program=program,
                kind=kind,
                title=TITLES[kind],
                starts_at=starts,
                length_minutes=90,
                place="Community room, main floor",
                capacity=25,
                cancelled_at=starts - dt.timedelta(days=2) if cancelled else None,
                cancellation_reason="The facilitator is ill." if cancelled else "",
                created_by=place.coordinator,
            )
        )
        starts += EVERY
    sessions = bulk(sessions)
    rows = []
    for session in sessions:
        invited = rng.sample(invitable, min(len(invitable), rng.randint(8, 20)))
        rows += [_attendance(seeder, place, session, supporter_id) for supporter_id in invited]
    bulk(rows)
    return len(sessions)


def _attendance(
    seeder: Seeder, place: ProvinceProgram, session: GroupSession, supporter_id: int
) -> Attendance:
    rng = seeder.rng
    invited_at = session.starts_at - dt.timedelta(days=14)
    held = session.starts_at < seeder.now and session.cancelled_at is None
    roll = rng.random()
    if held:
        status = (
            AttendanceStatus.ATTENDED
            if roll < 0.65
            else AttendanceStatus.ABSENT
            if roll < 0.85
            else AttendanceStatus.NOT_COMING
        )
    else:
        status = (
            AttendanceStatus.ATTENDING
            if roll < 0.5
            else AttendanceStatus.NOT_COMING
            if roll < 0.65
            else AttendanceStatus.INVITED
        )
    answered = status in (AttendanceStatus.ATTENDING, AttendanceStatus.NOT_COMING) or (
        status == AttendanceStatus.ATTENDED and roll < 0.4
    )
    recorded = status in (AttendanceStatus.ATTENDED, AttendanceStatus.ABSENT)
    return Attendance(
        session=session,
        supporter_id=supporter_id,
        status=status,
        invited_at=min(invited_at, seeder.now),
        answered_at=min(invited_at + dt.timedelta(days=rng.uniform(0.1, 10)), seeder.now)
        if answered
        else None,
        recorded_by=place.coordinator if recorded else None,
        recorded_at=session.ends_at + dt.timedelta(hours=1) if recorded else None,
    )
