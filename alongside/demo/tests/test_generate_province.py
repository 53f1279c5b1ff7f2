"""generate_province: a tiny province, built and checked with the services' own rules."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import Count, F, Q

from alongside.accounts.models import Role, User
from alongside.demo.province.build import ProvinceError, generate_province
from alongside.demo.province.sizes import ProvinceSizes, SizeError
from alongside.demo.shared import DEMO_PASSWORD
from alongside.intake.models import RequestStatus, Source, SupportRequest
from alongside.matches.models import OPEN_MATCH_STATUSES, CheckIn, ContactLog, Match
from alongside.matching.models import HOLDING_STATUSES, Proposal
from alongside.matching.queries import check_pair
from alongside.matching.scoring import Reason, reason_text
from alongside.programs.models import Program
from alongside.programs.queries import holds_role_in
from alongside.supporters.models import Supporter, SupporterStatus
from alongside.supporters.queries import readiness_of

FULL = reason_text(Reason.FULL)
TINY = ProvinceSizes(
    programs=3,
    supporters=150,
    largest=70,
    waiting=12,
    open_matches=30,
    contacts=90,
    proposals=6,
    coordinators=3,
)


@pytest.fixture
def province(db: None) -> list[Program]:
    generate_province(TINY, seed=7)
    return list(Program.objects.order_by("slug"))


def test_the_province_holds_the_sizes_asked_for(province: list[Program]) -> None:
    assert len(province) == 3
    assert [program.supporters.count() for program in province] == [70, 40, 40]
    assert SupportRequest.objects.filter(status=RequestStatus.NEW).count() == 12
    assert Match.objects.filter(status__in=OPEN_MATCH_STATUSES).count() == 30
    assert ContactLog.objects.count() == 90
    # The largest program holds its share of everything: 70 of the 150 supporters.
    largest = province[0]
    assert largest.requests.filter(status=RequestStatus.NEW).count() == 12 - 2 * (12 * 40 // 150)
    assert largest.matches.count() == 30 - 2 * (30 * 40 // 150)


def test_every_active_supporter_passes_the_readiness_gate(province: list[Program]) -> None:
    active = list(Supporter.objects.filter(status=SupporterStatus.ACTIVE))
    assert len(active) > 100
    assert all(state.is_ready for state in readiness_of(active).values())


def test_those_in_screening_are_not_ready_yet(province: list[Program]) -> None:
    screening = list(Supporter.objects.filter(status=SupporterStatus.SCREENING))
    assert screening
    assert not any(state.is_ready for state in readiness_of(screening).values())


def test_no_supporter_holds_more_places_than_their_limit(province: list[Program]) -> None:
    over = (
        Supporter.objects.annotate(
            open_count=Count(
                "matches", filter=Q(matches__status__in=OPEN_MATCH_STATUSES), distinct=True
            ),
            held=Count(
                "proposals", filter=Q(proposals__status__in=HOLDING_STATUSES), distinct=True
            ),
        )
        .filter(open_count__gt=F("max_concurrent_matches") - F("held"))
        .count()
    )
    assert over == 0


def test_open_proposals_hold_waiting_requests_of_supporters_who_fit(
    province: list[Program],
) -> None:
    proposals = Proposal.objects.filter(status__in=HOLDING_STATUSES).select_related(
        "request__program", "supporter__user"
    )
    assert {proposal.status for proposal in proposals} == set(HOLDING_STATUSES)
    assert len(proposals) == 6
    for proposal in proposals:
        assert proposal.request.status == RequestStatus.NEW
        assert check_pair(proposal.request, proposal.supporter).reasons in ((), (FULL,))


def test_matching_would_start_each_open_match_again_where_the_supporter_has_room(
    province: list[Program],
) -> None:
    checked = 0
    for match in Match.objects.select_related("request__program", "supporter__user"):
        held = match.supporter.matches.count() + match.supporter.proposals.count()
        if held < match.supporter.max_concurrent_matches:
            assert check_pair(match.request, match.supporter).reasons == ()
            checked += 1
    assert checked > 5


def test_contacts_fall_inside_their_match_and_each_match_has_one(
    province: list[Program],
) -> None:
    assert not ContactLog.objects.filter(occurred_at__lt=F("match__started_at")).exists()
    assert not Match.objects.filter(contacts__isnull=True).exists()


def test_requests_come_in_the_programs_intake_shape(province: list[Program]) -> None:
    for program in province:
        sources = set(program.requests.values_list("source", flat=True))
        if program.accepts_referrals and not program.accepts_public_requests:
            assert sources == {Source.REFERRAL}
            assert not program.requests.filter(referral__isnull=True).exists()
        else:
            assert Source.REFERRAL not in sources
    milestone_program = next(program for program in province if program.checkin_months)
    assert CheckIn.objects.filter(match__program=milestone_program).exists()


def test_the_largest_programs_coordinators_sign_in_with_the_demo_password(
    province: list[Program],
) -> None:
    emails = [
        "coordinator@province.example",
        "coordinator2@province.example",
        "coordinator3@province.example",
    ]
    for email in emails:
        user = User.objects.get(email=email)
        assert user.check_password(DEMO_PASSWORD)
        assert holds_role_in(user, {Role.COORDINATOR}, province[0].pk)


def test_a_second_province_in_the_same_database_is_refused(province: list[Program]) -> None:
    with pytest.raises(ProvinceError):
        generate_province(TINY, force=True)


def test_a_database_with_other_data_is_refused_unless_forced(db: None) -> None:
    User.objects.create_user("someone@example.org")
    with pytest.raises(ProvinceError):
        generate_province(TINY)
    generate_province(TINY, force=True)
    assert Program.objects.count() == 3


def test_sizes_that_cannot_make_a_province_are_refused() -> None:
    with pytest.raises(SizeError):
        ProvinceSizes(programs=2, supporters=100, largest=10).check()
    with pytest.raises(SizeError):
        ProvinceSizes(programs=1, supporters=100, largest=100, open_matches=95).check()


def test_the_command_prints_the_coordinator_login(db: None) -> None:
    sizes = ["--programs=1", "--supporters=30", "--largest=30", "--waiting=3"]
    sizes += ["--open-matches=5", "--contacts=10", "--proposals=1"]
    out = StringIO()
    call_command("generate_province", *sizes, stdout=out)
    assert f"coordinator@province.example  password: {DEMO_PASSWORD}" in out.getvalue()
    with pytest.raises(CommandError, match="already holds a province"):
        call_command("generate_province", *sizes, stdout=out)


def test_the_planner_knows_the_tables_sizes_once_the_province_is_built(
    province: list[Program],
) -> None:
    """A bulk load without ANALYZE leaves PostgreSQL planning pages blind (no row counts)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT reltuples FROM pg_class WHERE relname = %s",
                [Supporter._meta.db_table],
            )
            assert cursor.fetchone()[0] >= 150
        else:
            cursor.execute(
                "SELECT stat FROM sqlite_stat1 WHERE tbl = %s", [Supporter._meta.db_table]
            )
            assert int(cursor.fetchone()[0].split()[0]) == 150
