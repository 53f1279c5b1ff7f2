"""Every migration can be undone on a used installation, and redone.

One populated database (a program with its pipeline, supporters, requests through the public
form, a match with contacts, goals and check-ins, surveys, consents, wordings, messages and
audit events) goes through two round trips, each in one plan as `manage.py migrate` makes it:

- back before the migrations that change rows (their reverses run on those rows), where what
  each reverse keeps is checked, then forward again to the same rows;
- every app of Alongside to zero (every reverse on a populated database) and forward again,
  to the same tables, columns, indexes and constraints as before.

No migration is irreversible. One given an operation without a reverse (Django then refuses to
go back past it, with `IrreversibleError`) fails the last test unless it is named in
IRREVERSIBLE, with why, and in docs/deploy.md's "Going back a release". The database is left
migrated (and emptied by the flush of a transactional test) for the tests that follow on this
worker: pytest-xdist gives each worker its own database.
"""

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from django.apps import apps
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone

from alongside.accounts.factories import user_with_role
from alongside.accounts.models import Role
from alongside.api.tokens import issue_token
from alongside.core import blind_index
from alongside.core.audit import record_event
from alongside.core.consent import GivenHow, Purpose
from alongside.groups.factories import AttendanceFactory
from alongside.intake.factories import SupportRequestFactory
from alongside.intake.models import Peer, SupportRequest
from alongside.matches.factories import CheckInFactory, ContactLogFactory, GoalFactory, MatchFactory
from alongside.matching.models import MatchingRun, Proposal
from alongside.notifications.models import MessageTemplate
from alongside.outcomes.factories import ProgramInstrumentFactory, SurveyFactory
from alongside.outcomes.models import Instrument, ProgramInstrument, Survey
from alongside.outcomes.seed import seed_instruments
from alongside.privacy.models import Consent
from alongside.privacy.tests.conftest import ask
from alongside.programs.factories import ExperienceFactory, ProgramFactory
from alongside.programs.models import Program
from alongside.resources.factories import ResourceFactory
from alongside.safety.factories import OnCallShiftFactory
from alongside.supporters.factories import ApplicationFactory, not_ready_supporter
from alongside.supporters.models import Application, Supporter

# Migrations that cannot be undone, as (app, migration), each with a comment saying why: none.
IRREVERSIBLE: list[tuple[str, str]] = []

# Back to just before the migrations whose reverse must keep, or give back, rows.
BEFORE_DATA_MIGRATIONS = [
    ("outcomes", "0001_initial"),
    ("privacy", "0001_initial"),
    ("notifications", "0005_inbox"),
    ("intake", "0008_request_waiting_since_index"),
    ("supporters", "0015_withdrawal_reason_and_current_step"),
]

SAME_WORDING = {"subject": "A message from {{ program }}", "body": "{{ body }}"}


def alongside_apps(loader: MigrationLoader) -> list[str]:
    return [
        config.label
        for config in apps.get_app_configs()
        if config.name.startswith("alongside.") and config.label in loader.migrated_apps
    ]


def migrate(targets: list[tuple[str, str | None]]) -> None:
    """One plan to `targets`, as `manage.py migrate` runs it (without its signals)."""
    executor = MigrationExecutor(connection)
    executor.migrate(targets)


def migrate_to_latest() -> None:
    migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())


def applied() -> set[tuple[str, str]]:
    return set(MigrationExecutor(connection).loader.applied_migrations)


def schema() -> dict[str, Any]:
    """Every table's columns and its constraints and indexes (name, columns, kind); on SQLite,
    the statements it keeps for them, which say all that and cost a query rather than seconds."""
    introspection = connection.introspection
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY name")
            return {"sqlite_master": cursor.fetchall()}
        return {
            table: (
                sorted(
                    (column.name, column.type_code, column.null_ok)
                    for column in introspection.get_table_description(cursor, table)
                ),
                sorted(
                    (
                        name,
                        tuple(found["columns"] or ()),
                        bool(found["primary_key"]),
                        bool(found["unique"]),
                        bool(found["index"]),
                        bool(found["check"]),
                        found["foreign_key"],
                    )
                    for name, found in introspection.get_constraints(cursor, table).items()
                ),
            )
            for table in sorted(introspection.table_names(cursor))
        }


def apps_with_rows(labels: list[str]) -> set[str]:
    return {
        label
        for label in labels
        if any(model._default_manager.exists() for model in apps.get_app_config(label).get_models())
    }


def stored(table: str, column: str) -> dict[int, str]:
    """A column as the database holds it (ciphertext for an encrypted one), by id."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id, {column} FROM {table}")  # noqa: S608
        return {row[0]: row[1] for row in cursor.fetchall()}


def wordings() -> set[tuple[int | None, str, str, str, str]]:
    return set(
        MessageTemplate.objects.values_list("program_id", "key", "language", "subject", "body")
    )


def word(program: Program | None, keys: list[str], **wording: str) -> None:
    for key in keys:
        MessageTemplate.objects.create(
            program=program, key=key, language="en", **(SAME_WORDING | wording)
        )


def consent_before_records(
    support_request: SupportRequest, purpose: Purpose, **fields: Any
) -> Consent:
    """A consent as privacy 0002 kept it: the request's ticked box, its words not kept."""
    return Consent.objects.create(
        program_id=support_request.program_id,
        purpose=purpose,
        support_request=support_request,
        peer_id=support_request.peer_id,
        given_at=support_request.consent_given_at,
        given_how=GivenHow.REFERRER if purpose == Purpose.REFERRER else GivenHow.ONLINE_FORM,
        **fields,
    )


@pytest.fixture
def used_installation() -> Iterator[dict[str, Any]]:
    """Rows in every app, made through the factories and services; the database is migrated
    forward again whatever the test left it at."""
    seed_instruments(Instrument)
    experience = ExperienceFactory(slug="ms", name="Multiple sclerosis")
    program = ProgramFactory(slug="program-a", experiences=[experience])
    other_program = ProgramFactory(slug="program-b", experiences=[experience])
    coordinator = user_with_role(Role.COORDINATOR, program, email="coordinator@example.org")
    waiting = not_ready_supporter(
        program=program
    )  # the default pipeline, waiting at its first step
    ApplicationFactory(program=program)
    match = MatchFactory(program=program, request__experience=experience)
    ContactLogFactory(match=match)
    GoalFactory(match=match)
    CheckInFactory(match=match)
    AttendanceFactory(session__program=program, supporter=match.supporter)
    ResourceFactory(program=program)
    OnCallShiftFactory(program=program, user=coordinator)
    # Outcomes: one instrument chosen by a program, another only answered, the third unused.
    ProgramInstrumentFactory(
        program=program, instrument=Instrument.objects.get(slug="loneliness-3")
    )
    SurveyFactory(match=match, instrument=Instrument.objects.get(slug="wellbeing-short"))
    # Consents: through the public form (their words kept), and as privacy 0002 kept them.
    asked = ask(program, surveys=True)
    taken_before = SupportRequestFactory(program=program, experience=experience)
    consent_before_records(taken_before, Purpose.SUPPORT)
    consent_before_records(
        taken_before,
        Purpose.REFERRER,
        withdrawn_at=timezone.now() - dt.timedelta(days=3),
        withdrawn_by=coordinator,
        withdrawn_how="phone",
    )
    # Wordings: every kind alike (as notifications 0006 copied them), or worded apart since.
    word(program, ["safety.sla.at_risk", "safety.sla.breached"])
    word(
        None,
        [f"safety.escalation.{kind}" for kind in ("urgent", "help", "acknowledged", "resolved")],
    )
    word(program, ["matches.match.introduced.supporter", "matches.match.introduced.peer"])
    word(program, ["matches.match.introduced.in_app"], body="You have a new match.")
    word(other_program, ["safety.sla.at_risk"])
    run = MatchingRun.objects.create(program=program, started_by=coordinator)
    Proposal.objects.create(
        program=program, request=taken_before, supporter=match.supporter, score=12, batch=run.batch
    )
    issue_token(
        program=program,
        created_by=coordinator,
        name="Referral system",
        scopes=["write:referrals"],
        expires_on=timezone.localdate() + dt.timedelta(days=30),
    )
    record_event(actor=coordinator, action="tests.migrations.populated", target=program)
    try:
        yield {
            "program": program,
            "asked": asked,
            "taken_before": taken_before,
            "waiting": waiting,
        }
    finally:
        migrate_to_latest()


@pytest.mark.django_db(transaction=True)
def test_the_data_migrations_go_back_keeping_what_is_used_and_forward_to_the_same_rows(
    used_installation: dict[str, Any],
) -> None:
    program, asked = used_installation["program"], used_installation["asked"]
    taken_before = used_installation["taken_before"]
    chosen = set(ProgramInstrument.objects.values_list("program_id", "instrument__slug"))
    surveys = set(Survey.objects.values_list("pk", "instrument__slug"))
    kept_consents = set(Consent.objects.exclude(text=None).values_list("pk", flat=True))
    withdrawn = Consent.objects.get(support_request=taken_before, purpose=Purpose.REFERRER)
    before = wordings()
    first_names = dict(Peer.objects.values_list("pk", "first_name"))
    applicants = dict(Application.objects.values_list("pk", "first_name"))
    waiting = used_installation["waiting"]
    last_name = waiting.user.last_name

    migrate(BEFORE_DATA_MIGRATIONS)

    # intake 0009, supporters 0017: first names in plain text again; supporters 0018: the
    # account kept its last name (the supporter had none of their own yet).
    assert stored("intake_peer", "first_name") == first_names
    assert stored("supporters_application", "first_name") == applicants
    assert stored("accounts_user", "last_name")[waiting.user_id] == last_name

    # outcomes 0002: the instruments a program chose or a survey used stay, with those rows.
    assert set(Instrument.objects.values_list("slug", flat=True)) == {
        "loneliness-3",
        "wellbeing-short",
    }
    assert set(ProgramInstrument.objects.values_list("program_id", "instrument__slug")) == chosen
    assert set(Survey.objects.values_list("pk", "instrument__slug")) == surveys
    # privacy 0002: only the standing consents it made go; words kept and withdrawals stay.
    assert set(Consent.objects.values_list("pk", flat=True)) == kept_consents | {withdrawn.pk}
    assert Consent.objects.filter(support_request=asked).count() == 2
    # notifications 0006: kinds worded alike share their code's wording again; kinds worded
    # apart keep their own, and no shared wording sends one kind's words for another.
    after_going_back = wordings()
    assert (program.pk, "safety.sla", "en", SAME_WORDING["subject"], SAME_WORDING["body"]) in (
        after_going_back
    )
    assert (None, "safety.escalation", "en", SAME_WORDING["subject"], SAME_WORDING["body"]) in (
        after_going_back
    )
    assert not MessageTemplate.objects.filter(
        key__startswith="safety.sla.", program=program
    ).exists()
    assert not MessageTemplate.objects.filter(key="matches.match.introduced").exists()
    assert MessageTemplate.objects.filter(key__startswith="matches.match.introduced.").count() == 3
    assert (
        MessageTemplate.objects.filter(key="safety.sla.at_risk").exclude(program=program).count()
        == 1
    )

    migrate_to_latest()

    assert Instrument.objects.count() == 3
    assert Instrument.objects.get(slug="satisfaction").translations["fr"]["name"]
    assert set(ProgramInstrument.objects.values_list("program_id", "instrument__slug")) == chosen
    given_again = Consent.objects.get(support_request=taken_before, purpose=Purpose.SUPPORT)
    assert given_again.text is None
    assert given_again.withdrawn_at is None
    assert Consent.objects.filter(support_request=taken_before, purpose=Purpose.REFERRER).get() == (
        withdrawn
    )
    assert wordings() == before
    # The first names encrypted again and found by their index; the supporter's last name
    # moved off their account onto their profile, encrypted.
    assert not set(stored("intake_peer", "first_name").values()) & set(first_names.values())
    assert dict(Peer.objects.values_list("pk", "first_name")) == first_names
    for pk, first_name in first_names.items():
        found = Peer.objects.filter(blind_index.matches(Peer, "first_name", first_name))
        assert pk in set(found.values_list("pk", flat=True))
    assert dict(Application.objects.values_list("pk", "first_name")) == applicants
    assert not set(stored("supporters_application", "first_name").values()) & set(
        applicants.values()
    )
    assert stored("accounts_user", "last_name")[waiting.user_id] == ""
    assert Supporter.objects.get(pk=waiting.pk).last_name == last_name
    assert last_name not in stored("supporters_supporter", "last_name").values()


@pytest.mark.django_db(transaction=True)
def test_every_app_goes_back_to_zero_on_a_used_installation_and_forward_to_the_same_schema(
    used_installation: dict[str, Any],
) -> None:
    ours = alongside_apps(MigrationExecutor(connection).loader)
    tables_before, migrations_before = schema(), applied()
    assert {app for app in ours if app not in {"periodic", "health", "reports"}} <= (
        apps_with_rows(ours)
    )

    migrate([(app, None) for app in ours])

    assert not {name for name in applied() if name[0] in ours}
    assert not set(connection.introspection.table_names()) & {
        model._meta.db_table for app in ours for model in apps.get_app_config(app).get_models()
    }

    migrate_to_latest()

    assert applied() == migrations_before
    assert schema() == tables_before
    assert not Program.objects.exists()
    assert Instrument.objects.count() == 3  # seeded again on the way up


def test_only_the_listed_migrations_are_irreversible() -> None:
    loader = MigrationLoader(None, ignore_no_migrations=True)
    irreversible = [
        (migration.app_label, migration.name)
        for migration in loader.disk_migrations.values()
        if migration.app_label in alongside_apps(loader)
        and any(not operation.reversible for operation in migration.operations)
    ]
    assert sorted(irreversible) == sorted(IRREVERSIBLE)
