from collections.abc import Iterator
from io import StringIO

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.db import transaction
from django.test import RequestFactory
from django.utils import timezone
from pytest_django import DjangoDbBlocker

from alongside.accounts.models import Membership, Role, User
from alongside.core.models import AuditEvent
from alongside.demo.shared import DEMO_LOGINS, DEMO_PASSWORD, DEMO_PROGRAM_SLUGS
from alongside.intake.models import Peer, ReferralConsent, RequestStatus, Source, SupportRequest
from alongside.intake.referrals import programs_referred_to_by
from alongside.matches.models import ContactLog, Match, MatchStatus
from alongside.notifications.models import OutboxMessage
from alongside.programs.models import Experience, Program, Site
from alongside.supporters.models import LivedExperience, Supporter, SupporterStatus

COUNTED = (
    User,
    Membership,
    Program,
    Site,
    Experience,
    Supporter,
    LivedExperience,
    Peer,
    SupportRequest,
    Match,
    ContactLog,
    AuditEvent,
    OutboxMessage,
)


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in COUNTED}


def seed(*args: str) -> str:
    out = StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


@pytest.fixture(scope="module")
def seeded_once(django_db_setup: None, django_db_blocker: DjangoDbBlocker) -> Iterator[str]:
    """The demo built once for the module (what seed_demo printed), inside a transaction rolled
    back at the module's end: each test's own transaction is a savepoint inside it."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield seed()
        transaction.set_rollback(True)


@pytest.fixture
def seeded(seeded_once: str, db: None) -> str:
    return seeded_once


@pytest.mark.django_db
def test_seed_demo_builds_three_valid_programs(seeded: str) -> None:
    programs = Program.objects.filter(slug__in=DEMO_PROGRAM_SLUGS)

    assert programs.count() == 3
    for program in programs:
        program.full_clean()
    assert Supporter.objects.count() >= 60
    assert SupportRequest.objects.count() >= 30
    assert Match.objects.filter(status=MatchStatus.ACTIVE).count() >= 8
    assert ContactLog.objects.count() >= 8
    assert (
        Program.objects.get(slug="vch-peer-support-workers")
        .supporters.filter(is_paid=False)
        .count()
        == 0
    )
    assert (
        not SupportRequest.objects.filter(program__slug="vch-peer-support-workers")
        .exclude(source=Source.REFERRAL)
        .exists()
    )
    assert SupportRequest.objects.filter(
        status=RequestStatus.NEW, due_at__lt=timezone.now()
    ).exists(), "some waiting requests are overdue"
    assert Supporter.objects.exclude(status=SupporterStatus.ACTIVE).count() >= 3
    assert Supporter.objects.filter(away_until__gt=timezone.localdate()).exists()
    assert AuditEvent.objects.filter(action="matches.match.started").count() >= 8
    assert OutboxMessage.objects.exists()
    assert "admin@alongside.example" in seeded


@pytest.mark.django_db
def test_demo_logins_can_sign_in_with_their_roles(seeded: str) -> None:
    for login in DEMO_LOGINS:
        request = RequestFactory().post("/accounts/login/")
        user = authenticate(request, email=login.email, password=DEMO_PASSWORD)

        assert user is not None, login.email
        roles = Membership.objects.filter(user=user, role=login.role)
        assert roles.count() == (3 if login.program_slug is None else 1)
    admin = User.objects.get(email="admin@alongside.example")
    assert admin.is_staff
    assert admin.is_superuser


@pytest.mark.django_db
def test_the_networks_demo_manager_sees_nobody_from_her_own_facility(seeded: str) -> None:
    manager = User.objects.get(email="manager.hcw@alongside.example")
    role = Membership.objects.get(user=manager, role=Role.SUPERVISOR)
    facility = role.sites.get()
    from_there = SupportRequest.objects.filter(program=role.program, site=facility)

    assert role.program.is_employer_blind
    assert from_there.exists(), "the demo has requests from her facility"
    assert not Match.objects.visible_to(manager).filter(request__site=facility).exists()
    assert Supporter.objects.visible_to(manager).filter(site=facility).exists()


@pytest.mark.django_db
def test_the_richmond_coordinator_sees_her_teams_clients_and_workers_only(seeded: str) -> None:
    richmond = User.objects.get(email="coordinator.richmond.bc@alongside.example")
    role = Membership.objects.get(user=richmond, role=Role.COORDINATOR)
    team = role.sites.get()
    visible = SupportRequest.objects.visible_to(richmond)

    assert team.name == "Richmond"
    assert visible.exists(), "the demo has clients of the Richmond team"
    assert set(visible.values_list("site", flat=True)) == {team.pk}
    assert set(Supporter.objects.visible_to(richmond).values_list("site", flat=True)) == {team.pk}


@pytest.mark.django_db
def test_demo_supporters_have_active_matches(seeded: str) -> None:
    supporter = Supporter.objects.get(user__email="supporter.ms@alongside.example")
    assert supporter.status == SupporterStatus.ACTIVE
    assert supporter.experiences.filter(experience__slug="ms").exists()
    assert supporter.matches.filter(status=MatchStatus.ACTIVE).exists()
    nurse = Supporter.objects.get(user__email="supporter.hcw@alongside.example")
    assert nurse.work_role == "nurse"
    assert SupportRequest.objects.filter(
        referred_by__email="referrer.bc@alongside.example"
    ).exists()


@pytest.mark.django_db
def test_the_bc_program_takes_referrals_only_and_its_demo_referrer_can_refer(seeded: str) -> None:
    referrer = User.objects.get(email="referrer.bc@alongside.example")
    programs = programs_referred_to_by(referrer)
    assert [program.accepts_public_requests for program in programs] == [False]
    referrals = ReferralConsent.objects.filter(recorded_by=referrer)
    assert referrals.exists()
    assert all(consent.referral.goal_list for consent in referrals)
    assert {consent.summary_to_referrer for consent in referrals} == {True, False}


@pytest.mark.django_db
def test_running_it_again_changes_nothing(seeded: str) -> None:
    before = counts()

    output = seed()

    assert counts() == before
    assert "already exists" in output
    assert "referrer.bc@alongside.example" in output


@pytest.mark.django_db
def test_logins_only_prints_and_creates_nothing() -> None:
    before = counts()

    output = seed("--logins")

    assert counts() == before
    assert "coordinator.ms@alongside.example" in output
    assert DEMO_PASSWORD in output


@pytest.mark.django_db
def test_the_ms_program_speaks_french_in_its_own_texts(seeded: str) -> None:
    program = Program.objects.get(slug="ms-peer-support")
    step = program.pipeline_steps.get(order=1)
    crisis_line = program.resources.get(category="crisis")

    assert str(program.in_language("name", "fr")) == "Programme de soutien par les pairs en SP"
    assert "9-8-8 (Ligne d'aide en cas de crise de suicide)" in str(
        program.in_language("crisis_message", "fr")
    )
    assert program.phrases("crisis_questions", "safe_now")["fr"].startswith("Pensez-vous")
    assert str(Experience.objects.get(slug="ms").in_language("name", "fr")) == (
        "Sclérose en plaques (SP)"
    )
    assert str(step.in_language("name", "fr")) == "appel de présélection"
    assert str(crisis_line.in_language("name", "fr")) == "Ligne de crise"
    assert program.missing_translations() == {}
