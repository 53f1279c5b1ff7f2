"""A program's open matches, written in bulk with what their life has left so far: the planned
check-ins (those long due mostly done), the goals of a goal-based program, the contacts (all
between the match's start and now, the first sometimes an attempt), a few follow-ups, and last
month's hours reports (half still to confirm, for the coordinator's follow-up queue)."""

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass

from alongside.core.calendar import add_months
from alongside.demo.bc import BC_GOALS
from alongside.demo.province.programs import ProvinceProgram
from alongside.demo.province.proposals import add_proposals
from alongside.demo.province.requests import add_requests, fitting
from alongside.demo.province.supporters import Supporters, bulk
from alongside.demo.shared import Seeder
from alongside.intake.models import SupportRequest
from alongside.matches.hours import report_month
from alongside.matches.models import (
    CheckIn,
    CheckInKind,
    CheckInMethod,
    ContactLog,
    Goal,
    HoursReport,
    Match,
    MatchStatus,
    SupportType,
)
from alongside.supporters.models import Supporter

NOTES = (
    "First call: talked about what the first months were like for me.",
    "Mostly listened; we talked about what helps on the hard days.",
    "Shared a few resources; they will look at them this week.",
    "Follow-up call: sleeping better, feeling more hopeful.",
)


class TooFewPlacesError(ValueError):
    """The program's active supporters have fewer places than the matches asked for."""


@dataclass(frozen=True)
class Made:
    matches: int
    contacts: int


def add_matches(
    seeder: Seeder,
    place: ProvinceProgram,
    supporters: Supporters,
    count: int,
    contacts: int,
    proposals: int = 0,
    *,
    last_months_reports: bool = True,
) -> Made:
    """`count` open matches and `proposals` open proposals of supporters with room (each
    within their own limit), with `contacts` contacts among the matches, at least one each."""
    places = [row for row in supporters.active for _place in range(row.max_concurrent_matches)]
    if len(places) < count + proposals:
        raise TooFewPlacesError(
            f"{place.program.name} has {len(places)} places for {count} open matches "
            f"and {proposals} proposals."
        )
    taken = seeder.rng.sample(places, count + proposals)
    add_proposals(seeder, place, supporters, taken[count:])
    if count == 0:
        return Made(0, 0)
    chosen = taken[:count]
    asked = [fitting(seeder, place, row, supporters.lived[row.pk]) for row in chosen]
    requests = add_requests(seeder, place, asked)
    matches = bulk(
        _match(seeder, place, request_, supporter)
        for request_, supporter in zip(requests, chosen, strict=True)
    )
    _add_checkins(seeder, place, matches)
    if place.program.is_goal_based:
        _add_goals(seeder, matches)
    logged = _add_contacts(seeder, place, matches, contacts)
    if last_months_reports:  # with a history, monthly.py writes every month's
        _add_hours_reports(seeder, place, logged)
    return Made(count, contacts)


def _match(
    seeder: Seeder, place: ProvinceProgram, request_: SupportRequest, supporter: Supporter
) -> Match:
    """Made by the coordinator within two days of the request, at the latest a day ago."""
    program = place.program
    received_at = request_.received_at
    started_at = min(
        received_at + dt.timedelta(hours=seeder.rng.uniform(1, 48)),
        seeder.now - dt.timedelta(days=1),
    )
    weeks = program.match_length_weeks
    return Match(
        program=program,
        request=request_,
        supporter=supporter,
        status=MatchStatus.ACTIVE,
        started_at=started_at,
        planned_end_on=program.calendar.today(started_at) + dt.timedelta(weeks=weeks)
        if weeks
        else None,
        created_by=place.coordinator,
    )


def _add_checkins(seeder: Seeder, place: ProvinceProgram, matches: list[Match]) -> None:
    """The program's milestone check-ins; two in three of those due over a week ago are done."""
    program, rows = place.program, []
    for match in matches:
        start = program.calendar.today(match.started_at)
        for month in program.checkin_months:
            due_on = add_months(start, month)
            done = due_on < seeder.today - dt.timedelta(days=7) and seeder.rng.random() < 2 / 3
            rows.append(
                CheckIn(
                    match=match,
                    kind=CheckInKind.MILESTONE,
                    month=month,
                    due_on=due_on,
                    done_at=dt.datetime.combine(due_on, dt.time(15), tzinfo=dt.UTC)
                    if done
                    else None,
                    done_by=place.coordinator if done else None,
                    method=CheckInMethod.CALL if done else "",
                    with_peer=done,
                    with_supporter=done,
                )
            )
    bulk(rows)


def _add_goals(seeder: Seeder, matches: list[Match]) -> None:
    rows = []
    for match in matches:
        goals = BC_GOALS[seeder.rng.randrange(len(BC_GOALS))]
        rows += [
            Goal(
                match=match,
                description=description,
                agreed_on=match.started_at.date(),
                review_on=seeder.today + dt.timedelta(days=28),
                created_by=match.supporter.user,
            )
            for description in goals
        ]
    bulk(rows)


def _add_contacts(
    seeder: Seeder, place: ProvinceProgram, matches: list[Match], total: int
) -> list[ContactLog]:
    """`total` contacts shared among the matches, one at least each."""
    rng = seeder.rng
    extra = Counter(rng.choices(range(len(matches)), k=max(0, total - len(matches))))
    rows = []
    for index, match in enumerate(matches):
        rows += contacts_of(seeder, match, 1 + extra[index])
    return bulk(rows)


def contacts_of(
    seeder: Seeder, match: Match, count: int, *, reached: bool = True
) -> list[ContactLog]:
    """`count` contacts between the match's start and its close (or now); when not `reached`,
    every one an attempt."""
    rng, program = seeder.rng, match.program
    offered = set(match.supporter.contact_methods)
    method = next(way for way in match.request.contact_methods if way in offered)
    start = match.started_at + dt.timedelta(hours=1)
    end = match.closed_at or seeder.now
    span = (end - dt.timedelta(minutes=30) - start).total_seconds()
    moments = sorted(start + dt.timedelta(seconds=rng.uniform(0, span)) for _ in range(count))
    rows = []
    for number, occurred_at in enumerate(moments):
        made = reached and not (number == 0 and count > 1 and rng.random() < 0.2)
        last = number == count - 1
        follow_up = last and match.closed_at is None and rng.random() < 0.1
        rows.append(
            ContactLog(
                match=match,
                logged_by_id=match.supporter.user_id,
                occurred_at=occurred_at,
                minutes=rng.choice([15, 20, 30, 45, 60, 75]) if made else 0,
                method=method,
                was_made=made,
                support_types=rng.sample(list(SupportType.values), rng.randint(1, 2))
                if made
                else [],
                note=NOTES[number % len(NOTES)] if made else "Left a message.",
                follow_up_on=program.calendar.today(occurred_at)
                + dt.timedelta(days=rng.randint(0, 7))
                if follow_up
                else None,
                follow_up_what="Call back about how the week went." if follow_up else "",
            )
        )
    return rows


def _add_hours_reports(seeder: Seeder, place: ProvinceProgram, contacts: list[ContactLog]) -> None:
    """Last month's report of every supporter who logged a contact in it, pre-filled from the
    log as the month-end job does; every other one confirmed by their supporter."""
    program = place.program
    month = report_month(program, seeder.now)
    logged: dict[int, list[ContactLog]] = defaultdict(list)
    for contact in contacts:
        day = program.calendar.today(contact.occurred_at)
        if (day.year, day.month) == (month.year, month.month):
            logged[contact.match.supporter_id].append(contact)
    rows = []
    for number, (supporter_id, theirs) in enumerate(sorted(logged.items())):
        made = [contact for contact in theirs if contact.was_made]
        minutes = sum(contact.minutes for contact in made)
        confirmed = number % 2 == 0
        rows.append(
            HoursReport(
                program=program,
                supporter_id=supporter_id,
                month=month,
                logged_minutes=minutes,
                logged_contacts=len(made),
                logged_methods=dict(Counter(contact.method for contact in made)),
                confirmed_minutes=minutes if confirmed else None,
                confirmed_contacts=len(made) if confirmed else None,
                confirmed_at=seeder.now - dt.timedelta(days=1) if confirmed else None,
            )
        )
    bulk(rows)
