"""With a history: the requests of the last eighteen months that no longer wait nor are matched.

Most were matched and their match has closed, with a reason, a closure check-in that heard from
the supporter (and from the person, unless they withdrew or could not be reached), the
milestone check-ins due before it, goals in a goal-based program (all settled when the goals were
met) and contacts between its start and its close. The rest were withdrawn before a match.

Each supporter's places are filled back in time: a place's open match (or proposal) last, the
closed matches before it one after another, none before the day the supporter became ready nor
after the day they left, so nobody ever held more matches at once than their limit. Time to
match is mostly within a day or three, some past the program's promise.
"""

import datetime as dt
from dataclasses import dataclass, replace

from alongside.core.calendar import add_months
from alongside.demo.bc import BC_GOALS
from alongside.demo.province.matches import contacts_of
from alongside.demo.province.programs import ProvinceProgram
from alongside.demo.province.requests import add_requests, fitting, waiting
from alongside.demo.province.supporters import HISTORY_DAYS, LEFT_STATUSES, Supporters, bulk
from alongside.demo.shared import Seeder
from alongside.intake.models import RequestStatus, SupportRequest
from alongside.matches.models import (
    CheckIn,
    CheckInKind,
    CheckInMethod,
    ClosureReason,
    ContactLog,
    Goal,
    GoalStatus,
    Match,
    MatchEvent,
    MatchEventKind,
    MatchStatus,
)
from alongside.matching.models import HOLDING_STATUSES, Proposal
from alongside.supporters.models import Supporter

MOST_PLACES = 5  # a supporter's places beyond it share the last tier
# Of the requests no longer waiting, those withdrawn before a match (the rest were matched).
WITHDRAWN_SHARE = 0.15
EARLY_REASONS = (
    ClosureReason.PERSON_WITHDREW,
    ClosureReason.SUPPORTER_UNAVAILABLE,
    ClosureReason.NO_CONTACT,
    ClosureReason.REFERRED_ELSEWHERE,
    ClosureReason.EXTENUATING,
)
UNREACHABLE = (ClosureReason.PERSON_WITHDREW, ClosureReason.NO_CONTACT)
CLOSING_NOTES = {
    ClosureReason.COMPLETED: "Six months together; they feel ready to go on on their own.",
    ClosureReason.GOALS_MET: "Every goal reached or settled; a warm goodbye.",
    ClosureReason.PERSON_WITHDREW: "They asked to stop for now.",
    ClosureReason.SUPPORTER_UNAVAILABLE: "The supporter had to step back; offered a new match.",
    ClosureReason.NO_CONTACT: "No answer after several tries over three weeks.",
    ClosureReason.REFERRED_ELSEWHERE: "Referred to the clinic's counselling program.",
    ClosureReason.EXTENUATING: "A move out of the province.",
}


@dataclass
class Place:
    """One of a supporter's places, free between `begins` and `ends` (filled backwards)."""

    supporter: Supporter
    begins: dt.datetime
    ends: dt.datetime


@dataclass(frozen=True)
class Past:
    closed: int
    withdrawn: int
    contacts: int


def add_past(seeder: Seeder, place: ProvinceProgram, supporters: Supporters, count: int) -> Past:
    """`count` requests of the last eighteen months, closed after a match or withdrawn."""
    planned = [_closed_match(seeder, place) for _ in range(round(count * (1 - WITHDRAWN_SHARE)))]
    placed = _place(seeder, place, _free_places(seeder, place, supporters), planned)
    asked = [
        replace(
            fitting(seeder, place, match.supporter, supporters.lived[match.supporter.pk]),
            received_at=received_at,
            status=RequestStatus.CLOSED,
        )
        for match, received_at in placed
    ]
    matches = [match for match, _received_at in placed]
    for request_, match in zip(add_requests(seeder, place, asked), matches, strict=True):
        match.request = request_
    matches = bulk(matches)
    _add_closing(seeder, place, matches)
    contacts = _add_contacts(seeder, matches)
    _add_withdrawn(seeder, place, count - len(matches))
    return Past(len(matches), count - len(matches), contacts)


def _free_places(
    seeder: Seeder, place: ProvinceProgram, supporters: Supporters
) -> list[list[Place]]:
    """Every place of every supporter once ready, up to what holds it now (or their leaving):
    everyone's first place, then everyone's second, and so on (filled in that order, so that
    most supporters have had a match in most months before any has had two at once)."""
    program = place.program
    held: dict[int, list[dt.datetime]] = {}
    for supporter_id, started_at in Match.objects.filter(program=program).values_list(
        "supporter_id", "started_at"
    ):
        held.setdefault(supporter_id, []).append(started_at)
    for supporter_id, received_at in Proposal.objects.filter(
        program=program, status__in=HOLDING_STATUSES
    ).values_list("supporter_id", "request__received_at"):
        held.setdefault(supporter_id, []).append(received_at)
    earliest = seeder.now - dt.timedelta(days=HISTORY_DAYS)
    tiers: list[list[Place]] = [[] for _ in range(max(MOST_PLACES, 1))]
    for supporter in supporters.rows:
        ready_on = supporters.ready_on.get(supporter.pk)
        if ready_on is None:
            continue
        begins = max(earliest, dt.datetime.combine(ready_on, dt.time(17), tzinfo=dt.UTC))
        last = (
            supporter.status_changed_at
            if supporter.status in LEFT_STATUSES and supporter.status_changed_at
            else seeder.now - dt.timedelta(days=1)
        )
        ends = sorted(held.get(supporter.pk, []))
        ends += [last] * (supporter.max_concurrent_matches - len(ends))
        for tier, end in enumerate(ends):
            if end > begins:
                tiers[min(tier, len(tiers) - 1)].append(Place(supporter, begins, end))
    return tiers


def _closed_match(seeder: Seeder, place: ProvinceProgram) -> Match:
    """A closed match's reason and length, before it has a place in time."""
    program, rng = place.program, seeder.rng
    if program.is_goal_based:
        roll = rng.random()
        reason = (
            ClosureReason.GOALS_MET
            if roll < 0.5
            else ClosureReason.COMPLETED
            if roll < 0.7
            else rng.choice(EARLY_REASONS)
        )
        weeks = rng.uniform(6, 30)
    else:
        reason = ClosureReason.COMPLETED if rng.random() < 0.65 else rng.choice(EARLY_REASONS)
        full = program.match_length_weeks or 26
        weeks = (
            full + rng.uniform(-1, 2) if reason == ClosureReason.COMPLETED else rng.uniform(2, 20)
        )
    return Match(
        program=program,
        status=MatchStatus.CLOSED,
        started_at=seeder.now,  # moved into place by _place
        closed_at=seeder.now + dt.timedelta(weeks=weeks),
        closure_reason=reason,
        closure_note=CLOSING_NOTES[reason],
        created_by=place.coordinator,
    )


def _place(
    seeder: Seeder, place: ProvinceProgram, tiers: list[list[Place]], planned: list[Match]
) -> list[tuple[Match, dt.datetime]]:
    """Each planned match in a free place of the first tier with room, each with when its
    request came in; those that fit in no place are left out (their requests are withdrawn
    instead)."""
    rng, program = seeder.rng, place.program
    placed = []
    for match in planned:
        length = match.closed_at - match.started_at  # type: ignore[operator]
        while places := next((tier for tier in tiers if tier), None):
            index = rng.randrange(len(places))
            free = places[index]
            closed_at = free.ends - dt.timedelta(days=rng.uniform(0.5, 20))
            started_at = closed_at - length
            waited = dt.timedelta(
                hours=rng.uniform(2, 60) if rng.random() < 0.85 else rng.uniform(72, 300)
            )
            received_at = started_at - waited
            if received_at < free.begins:
                places[index] = places[-1]
                places.pop()
                continue
            free.ends = received_at
            match.supporter, match.started_at, match.closed_at = (
                free.supporter,
                started_at,
                closed_at,
            )
            weeks = program.match_length_weeks
            match.planned_end_on = (
                program.calendar.today(started_at) + dt.timedelta(weeks=weeks) if weeks else None
            )
            placed.append((match, received_at))
            break
    return placed


def _add_closing(seeder: Seeder, place: ProvinceProgram, matches: list[Match]) -> None:
    """The milestone check-ins due before the close, the closure check-in, the closing event,
    and the goals of a goal-based program."""
    program, rng = place.program, seeder.rng
    checkins, events, goals = [], [], []
    for match in matches:
        closed_at = match.closed_at
        assert closed_at is not None
        start = program.calendar.today(match.started_at)
        for month in program.checkin_months:
            due_on = add_months(start, month)
            if due_on >= program.calendar.today(closed_at):
                break
            done = rng.random() < 0.8
            done_at = dt.datetime.combine(due_on, dt.time(15), tzinfo=dt.UTC)
            checkins.append(
                CheckIn(
                    match=match,
                    kind=CheckInKind.MILESTONE,
                    month=month,
                    due_on=due_on,
                    done_at=done_at if done and done_at < closed_at else None,
                    done_by=place.coordinator if done and done_at < closed_at else None,
                    method=CheckInMethod.CALL if done and done_at < closed_at else "",
                    with_peer=done and done_at < closed_at,
                    with_supporter=done and done_at < closed_at,
                )
            )
        heard = match.closure_reason not in UNREACHABLE or rng.random() < 0.3
        checkins.append(
            CheckIn(
                match=match,
                kind=CheckInKind.CLOSURE,
                due_on=program.calendar.today(closed_at),
                done_at=closed_at,
                done_by=place.coordinator,
                method=rng.choice((CheckInMethod.CALL, CheckInMethod.FORM)),
                with_peer=heard,
                with_supporter=True,
                notes="Talked through how it went and what comes next.",
            )
        )
        events.append(
            MatchEvent(
                match=match,
                kind=MatchEventKind.CLOSED,
                by=place.coordinator,
                at=closed_at,
                detail=match.closure_reason,
            )
        )
        if program.is_goal_based:
            goals += _goals(seeder, match)
    bulk(checkins)
    bulk(events)
    bulk(goals)


def _goals(seeder: Seeder, match: Match) -> list[Goal]:
    """The match's goals: all reached or settled when its goals were met, any state otherwise."""
    met = match.closure_reason == ClosureReason.GOALS_MET
    described = BC_GOALS[seeder.rng.randrange(len(BC_GOALS))]
    states = (
        [GoalStatus.ACHIEVED] + [GoalStatus.ACHIEVED, GoalStatus.DROPPED] * len(described)
        if met
        else list(GoalStatus)
    )
    return [
        Goal(
            match=match,
            description=description,
            status=states[0] if number == 0 else seeder.rng.choice(states),
            agreed_on=match.started_at.date(),
            created_by=match.supporter.user,
        )
        for number, description in enumerate(described)
    ]


def _add_contacts(seeder: Seeder, matches: list[Match]) -> int:
    """About one contact a month of each match; only attempts when nobody was reached."""
    rows: list[ContactLog] = []
    for match in matches:
        assert match.closed_at is not None
        months = (match.closed_at - match.started_at).days / 30
        count = max(1, round(months * seeder.rng.uniform(0.5, 1.5)))
        reached = match.closure_reason != ClosureReason.NO_CONTACT
        rows += contacts_of(seeder, match, count, reached=reached)
    bulk(rows)
    return len(rows)


def _add_withdrawn(seeder: Seeder, place: ProvinceProgram, count: int) -> list[SupportRequest]:
    """Requests withdrawn before a match, received over the last eighteen months."""
    asked = [
        replace(
            waiting(seeder, place),
            received_at=seeder.now - dt.timedelta(days=seeder.rng.uniform(21, HISTORY_DAYS)),
            status=RequestStatus.WITHDRAWN,
        )
        for _ in range(count)
    ]
    return add_requests(seeder, place, asked)
