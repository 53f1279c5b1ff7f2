"""Personas shared by every test: the people who use Alongside, in two programs."""

import os
import zoneinfo
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import cache, caches
from django.utils import timezone, translation
from pytest_django import DjangoDbBlocker

from alongside.accounts.factories import UserFactory, user_with_role
from alongside.accounts.models import Role, User
from alongside.intake.factories import SupportRequestFactory
from alongside.intake.models import SupportRequest
from alongside.matches.factories import MatchFactory
from alongside.matches.models import Match
from alongside.matching.snapshot import forget_all
from alongside.programs.factories import ExperienceFactory, ProgramFactory, SiteFactory
from alongside.programs.models import Experience, Program, Site
from alongside.supporters.factories import LivedExperienceFactory, SupporterFactory
from alongside.supporters.models import Supporter

# The SQLite test database is a file under var/ (see config/settings.py); a fresh clone has none.
(Path(__file__).resolve().parent / "var").mkdir(exist_ok=True)


@pytest.fixture(autouse=True)
def _fresh_matching_snapshots() -> Iterator[None]:
    """Each test starts without the previous one's snapshots (its rows were rolled back)."""
    forget_all()
    cache.clear()
    yield
    forget_all()


@pytest.fixture(autouse=True)
def _in_the_programs_time_zone() -> Iterator[None]:
    """A test reads the clock as the people of its programs do (the factories' programs are in
    America/Toronto, and so are the pages of their people): `timezone.localdate()` is the
    program's day and `timezone.localtime()` what a form there is typed in. A test of a job
    at night says `timezone.override(dt.UTC)`, as the worker runs."""
    with timezone.override(zoneinfo.ZoneInfo("America/Toronto")):
        yield


@pytest.fixture(autouse=True)
def _fresh_shared_counters(
    request: pytest.FixtureRequest, django_db_blocker: DjangoDbBlocker
) -> Iterator[None]:
    """The shared cache's table (the public forms' throttle) outlives a transactional test's
    flush, which empties only the models' tables: empty it after such a test too."""
    yield
    if {"transactional_db", "live_server"} & set(request.fixturenames):
        with django_db_blocker.unblock():
            caches["shared"].clear()


@pytest.fixture(autouse=True)
def _english_after_each_test() -> Iterator[None]:
    """A request in French leaves French active in the test's thread: every test starts and ends
    in the default language, so one French page never changes another test's messages."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def ms(db: None) -> Experience:
    return ExperienceFactory(slug="ms", name="Multiple sclerosis")


@pytest.fixture
def program_a(ms: Experience) -> Program:
    return ProgramFactory(slug="program-a", name="Program A", experiences=[ms])


@pytest.fixture
def program_b(ms: Experience) -> Program:
    return ProgramFactory(slug="program-b", name="Program B", experiences=[ms])


@pytest.fixture
def brookline(program_a: Program) -> Site:
    """A facility of program A (the health-care network's first, by name)."""
    return SiteFactory(program=program_a, name="Brookline Community Hospital")


@pytest.fixture
def worcester(program_a: Program) -> Site:
    """Another facility of program A."""
    return SiteFactory(program=program_a, name="Worcester Medical Center")


@pytest.fixture
def coordinator_a(program_a: Program) -> User:
    return user_with_role(Role.COORDINATOR, program_a, email="coordinator.a@example.org")


@pytest.fixture
def coordinator_b(program_b: Program) -> User:
    return user_with_role(Role.COORDINATOR, program_b, email="coordinator.b@example.org")


@pytest.fixture
def administrator(program_a: Program) -> User:
    return user_with_role(Role.ADMINISTRATOR, program_a, email="admin.a@example.org")


@pytest.fixture
def supporter_a(program_a: Program, ms: Experience) -> Supporter:
    supporter = SupporterFactory(
        # Fixed names: a generated one (Robertson, say) would be found by the searches for
        # "rob" that mean the other supporter, Robin.
        program=program_a,
        user=UserFactory(email="supporter.a@example.org", first_name="Sam", last_name="Oyelaran"),
    )
    LivedExperienceFactory(supporter=supporter, experience=ms)
    return supporter


@pytest.fixture
def other_supporter_a(program_a: Program, ms: Experience) -> Supporter:
    supporter = SupporterFactory(
        program=program_a,
        user=UserFactory(
            email="supporter.other@example.org", first_name="Robin", last_name="Kowalczyk"
        ),
    )
    LivedExperienceFactory(supporter=supporter, experience=ms)
    return supporter


@pytest.fixture
def peer_user(db: None) -> User:
    """A person who asked for support and has an account, but no role in any program."""
    return UserFactory(email="peer@example.org")


@pytest.fixture
def request_a(program_a: Program, ms: Experience) -> SupportRequest:
    return SupportRequestFactory(program=program_a, experience=ms)


@pytest.fixture
def match_a(program_a: Program, supporter_a: Supporter, ms: Experience) -> Match:
    return MatchFactory(program=program_a, supporter=supporter_a, request__experience=ms)


# --- PostgreSQL only: left out of the SQLite run, never skipped -------------------------------


# The longest tests, started first: run last, one of them kept a worker busy minutes after the
# other had finished (each path's tests keep their order, so module fixtures are built once).
LONGEST_FIRST = (
    "tests/test_migrations.py",
    "tests/scale_out/",
    "alongside/privacy/tests/test_scopes_property.py",
    "tests/test_page_walk.py",
)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """A test marked `postgres` (the scale-out test: several servers on one database) is
    deselected when the suite runs on SQLite, so it counts as neither run nor skipped there;
    `make test-postgres` runs it, and CI requires that run. The longest tests go first."""
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        left_out = [item for item in items if item.get_closest_marker("postgres")]
        if left_out:
            config.hook.pytest_deselected(items=left_out)
            items[:] = [item for item in items if not item.get_closest_marker("postgres")]
    items.sort(key=_longest_first)


def _longest_first(item: pytest.Item) -> int:
    return next(
        (rank for rank, path in enumerate(LONGEST_FIRST) if item.nodeid.startswith(path)),
        len(LONGEST_FIRST),
    )


# --- In CI nothing may be skipped -------------------------------------------------------------

_skipped_in_ci: list[str] = []


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if report.skipped and os.environ.get("CI") == "true":
        _skipped_in_ci.append(report.nodeid)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Under CI=true a skipped test fails the run: every test must run on both databases."""
    if _skipped_in_ci and exitstatus == 0:
        for nodeid in _skipped_in_ci:
            print(f"\nSkipped under CI=true (not allowed): {nodeid}")
        session.exitstatus = 1
