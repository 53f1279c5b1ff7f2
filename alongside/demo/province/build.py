"""Build the whole province in one transaction, check it, and say what was made."""

import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.utils import timezone

from alongside.accounts.models import User
from alongside.demo.province.care import add_care
from alongside.demo.province.checks import problems_in
from alongside.demo.province.gatherings import add_sessions
from alongside.demo.province.history import add_past
from alongside.demo.province.joined import add_records_over_time
from alongside.demo.province.matches import add_matches
from alongside.demo.province.monthly import add_monthly_reports
from alongside.demo.province.programs import ProvinceProgram, set_up_programs
from alongside.demo.province.requests import add_requests, waiting
from alongside.demo.province.sizes import PROVINCE_DOMAIN, PROVINCE_SLUG_PREFIX, ProvinceSizes
from alongside.demo.province.supporters import Supporters, add_supporters
from alongside.demo.shared import DEMO_PASSWORD, Seeder
from alongside.programs.models import Program

DEFAULT_SEED = 20261130


class ProvinceError(Exception):
    """The province cannot be built here, or what was built breaks the services' rules."""


@dataclass(frozen=True)
class ProgramMade:
    name: str
    supporters: int
    waiting: int
    matches: int
    contacts: int
    proposals: int
    history: "HistoryMade | None" = None


@dataclass(frozen=True)
class HistoryMade:
    closed: int
    withdrawn: int
    contacts: int
    hours_reports: int
    sessions: int


@dataclass
class ProvinceMade:
    programs: list[ProgramMade] = field(default_factory=list)
    seconds: float = 0.0


def ensure_room(*, force: bool) -> None:
    """Refuses a database with other data in it (unless forced), and one with a province."""
    if Program.objects.filter(slug__startswith=PROVINCE_SLUG_PREFIX).exists() or (
        User.objects.filter(email__iendswith=f"@{PROVINCE_DOMAIN}").exists()
    ):
        raise ProvinceError("This database already holds a province: use a new database.")
    if not force and (Program.objects.exists() or User.objects.exists()):
        raise ProvinceError(
            "This database already holds programs or accounts. Build the province in an empty "
            "database, or pass --force to add it beside them."
        )


def generate_province(
    sizes: ProvinceSizes,
    *,
    seed: int = DEFAULT_SEED,
    force: bool = False,
    say: Callable[[str], None] = lambda _text: None,
) -> ProvinceMade:
    """Build the province, check it and return what it holds; nothing is kept on failure."""
    sizes.check()
    ensure_room(force=force)
    started = time.monotonic()
    made = ProvinceMade()
    rng = random.Random(seed)
    with transaction.atomic():
        seeder = Seeder(now=timezone.now(), rng=rng, password_hash=make_password(DEMO_PASSWORD))
        places = set_up_programs(seeder, sizes)
        say(f"Set up {len(places)} programs and their staff ({time.monotonic() - started:.1f} s).")
        plan = zip(
            places,
            sizes.supporters_per_program(),
            sizes.waiting_per_program(),
            sizes.shared(sizes.open_matches),
            sizes.shared(sizes.contacts),
            sizes.shared(sizes.proposals),
            strict=True,
        )
        history = zip(
            sizes.shared(sizes.past_requests), sizes.shared(sizes.hours_reports), strict=True
        )
        for (place, *counts), (past, reports) in zip(plan, history, strict=True):
            program, supporters = _fill(seeder, place, *counts, history=sizes.has_history)
            if sizes.has_history:
                program = _fill_history(seeder, place, program, supporters, (past, reports))
            made.programs.append(program)
            say(_line(made.programs[-1], time.monotonic() - started))
        say("Checking a sample with the services' own rules…")
        problems = problems_in([place.program for place in places], random.Random(seed + 1))
        if problems:
            raise ProvinceError(
                "The province breaks the services' rules, so nothing was kept:\n"
                + "\n".join(problems[:20])
            )
    say("Gathering the planner's statistics (ANALYZE)…")
    analyse()
    made.seconds = time.monotonic() - started
    return made


def analyse() -> None:
    """ANALYZE, as after any bulk load: until autovacuum passes, PostgreSQL plans the pages
    without row counts (it hash-joined every user for one match's contacts: two to three times the
    load run's p95)."""
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def _fill(
    seeder: Seeder,
    place: ProvinceProgram,
    people: int,
    waiting_count: int,
    match_count: int,
    contact_count: int,
    proposal_count: int,
    *,
    history: bool,
) -> tuple[ProgramMade, Supporters]:
    supporters = add_supporters(seeder, place, people, history=history)
    if history:
        supporters.ready_on = add_records_over_time(seeder, place, supporters.rows)
    add_requests(seeder, place, [waiting(seeder, place) for _ in range(waiting_count)])
    matched = add_matches(
        seeder,
        place,
        supporters,
        match_count,
        max(contact_count, match_count),
        proposal_count,
        last_months_reports=not history,
    )
    made = ProgramMade(
        place.program.name,
        people,
        waiting_count + proposal_count,
        matched.matches,
        matched.contacts,
        proposal_count,
    )
    return made, supporters


def _fill_history(
    seeder: Seeder,
    place: ProvinceProgram,
    made: ProgramMade,
    supporters: Supporters,
    counts: tuple[int, int],
) -> ProgramMade:
    """The program's last eighteen months: `counts` past requests and hours reports."""
    past = add_past(seeder, place, supporters, counts[0])
    reports = add_monthly_reports(seeder, place, counts[1])
    add_care(seeder, place)
    sessions = add_sessions(seeder, place)
    history = HistoryMade(past.closed, past.withdrawn, past.contacts, reports, sessions)
    return replace(made, history=history)


def _line(program: ProgramMade, seconds: float) -> str:
    return (
        f"{program.name}: {program.supporters} supporters, {program.waiting} waiting, "
        f"({program.proposals} of them held by a proposal), {program.matches} open matches, "
        f"{program.contacts} contacts"
        + (_past(program.history) if program.history else "")
        + f" ({seconds:.1f} s)."
    )


def _past(history: HistoryMade) -> str:
    return (
        f"; in the past: {history.closed} closed matches ({history.contacts} contacts), "
        f"{history.withdrawn} withdrawn requests, {history.hours_reports} hours reports, "
        f"{history.sessions} group sessions"
    )
