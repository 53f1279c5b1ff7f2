"""Build the whole province in one transaction, check it, and say what was made."""

import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.utils import timezone

from alongside.accounts.models import User
from alongside.demo.province.checks import problems_in
from alongside.demo.province.matches import add_matches
from alongside.demo.province.programs import ProvinceProgram, set_up_programs
from alongside.demo.province.requests import add_requests, waiting
from alongside.demo.province.sizes import PROVINCE_DOMAIN, PROVINCE_SLUG_PREFIX, ProvinceSizes
from alongside.demo.province.supporters import add_supporters
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
        for place, *counts in plan:
            made.programs.append(_fill(seeder, place, *counts))
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
) -> ProgramMade:
    supporters = add_supporters(seeder, place, people)
    add_requests(seeder, place, [waiting(seeder, place) for _ in range(waiting_count)])
    matched = add_matches(
        seeder, place, supporters, match_count, max(contact_count, match_count), proposal_count
    )
    return ProgramMade(
        place.program.name,
        people,
        waiting_count + proposal_count,
        matched.matches,
        matched.contacts,
        proposal_count,
    )


def _line(program: ProgramMade, seconds: float) -> str:
    return (
        f"{program.name}: {program.supporters} supporters, {program.waiting} waiting, "
        f"({program.proposals} of them held by a proposal), {program.matches} open matches, "
        f"{program.contacts} contacts ({seconds:.1f} s)."
    )
