"""Confidentiality scopes, one rule at a time (issue 17, item 1; ADR 0013). The property test
beside this one checks them together over random programs."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from alongside.accounts.factories import give_authenticator_app, user_with_role
from alongside.accounts.models import Membership, Role, User
from alongside.core.consent import GivenHow, Purpose
from alongside.intake.factories import SupportRequestFactory
from alongside.intake.models import SupportRequest
from alongside.matches.factories import MatchFactory
from alongside.matches.models import Match
from alongside.matches.permissions import may_comment_on
from alongside.notifications.models import OutboxMessage
from alongside.notifications.team import tell_coordinators
from alongside.privacy import break_glass
from alongside.privacy.models import Consent
from alongside.programs.models import Program, ReportedDemographic, Site, SiteKind
from alongside.programs.queries import members_of
from alongside.reports.funder.report import build_report, reported_demographics
from alongside.reports.periods import Period
from alongside.supporters import messages as supporter_messages
from alongside.supporters.factories import SupporterFactory
from alongside.supporters.models import Supporter
from alongside.supporters.queries import supervisees
from alongside.supporters.services.wellbeing import request_debrief

pytestmark = pytest.mark.django_db


def site(program: Program, name: str) -> Site:
    return Site.objects.create(program=program, name=name, kind=SiteKind.FACILITY)


def tied(role: Role, program: Program, *sites: Site, email: str) -> User:
    user = user_with_role(role, program, email=email)
    Membership.objects.get(user=user, program=program, role=role).sites.add(*sites)
    return user


@pytest.fixture
def network(program_a: Program) -> Program:
    program_a.is_employer_blind = True
    program_a.save(update_fields=["is_employer_blind"])
    return program_a


@pytest.fixture
def facility_a(program_a: Program) -> Site:
    return site(program_a, "Facility A")


@pytest.fixture
def facility_b(program_a: Program) -> Site:
    return site(program_a, "Facility B")


def seen(queryset) -> set[int]:
    return set(queryset.values_list("pk", flat=True))


# ---- An ordinary program: a role tied to sites sees its sites -------------------------------


def test_a_coordinator_tied_to_a_site_sees_its_requests_and_supporters_only(
    program_a, facility_a, facility_b, coordinator_a
):
    at_a = SupportRequestFactory(program=program_a, site=facility_a)
    at_b = SupportRequestFactory(program=program_a, site=facility_b)
    nowhere = SupportRequestFactory(program=program_a, site=None)
    supporter_at_a = SupporterFactory(program=program_a, site=facility_a)
    SupporterFactory(program=program_a, site=facility_b)
    team_lead = tied(Role.COORDINATOR, program_a, facility_a, email="lead.a@example.org")

    assert seen(SupportRequest.objects.visible_to(team_lead)) == {at_a.pk}
    assert seen(Supporter.objects.visible_to(team_lead)) == {supporter_at_a.pk}
    # The central coordinator sees the whole program.
    assert {at_a.pk, at_b.pk, nowhere.pk} <= seen(SupportRequest.objects.visible_to(coordinator_a))


def test_a_tied_coordinator_sees_the_matches_of_their_sites_people_and_supporters(
    program_a, facility_a, facility_b
):
    supporter_at_a = SupporterFactory(program=program_a, site=facility_a)
    supporter_at_b = SupporterFactory(program=program_a, site=facility_b)
    person_at_a = MatchFactory(
        program=program_a,
        supporter=supporter_at_b,
        request=SupportRequestFactory(program=program_a, site=facility_a),
    )
    supporter_of_a = MatchFactory(
        program=program_a,
        supporter=supporter_at_a,
        request=SupportRequestFactory(program=program_a, site=facility_b),
    )
    MatchFactory(
        program=program_a,
        supporter=supporter_at_b,
        request=SupportRequestFactory(program=program_a, site=facility_b),
    )
    team_lead = tied(Role.COORDINATOR, program_a, facility_a, email="lead.a@example.org")

    assert seen(Match.objects.visible_to(team_lead)) == {person_at_a.pk, supporter_of_a.pk}


def test_a_tied_role_counts_for_no_whole_program_page_or_notice(program_a, facility_a):
    team_lead = tied(Role.COORDINATOR, program_a, facility_a, email="lead.a@example.org")

    assert team_lead not in members_of(program_a, [Role.COORDINATOR])
    tell_coordinators(
        program_a,
        kind=supporter_messages.DEBRIEF_REQUESTED,
        context={"name": "Sam"},
        key=("test", 1),
    )
    assert not OutboxMessage.objects.filter(recipient=team_lead).exists()


def test_sites_tied_to_a_referrer_change_nothing(program_a, facility_a):
    referrer = tied(Role.REFERRER, program_a, facility_a, email="referrer@example.org")
    theirs = SupportRequestFactory(program=program_a, site=None, referred_by=referrer)

    assert seen(SupportRequest.objects.visible_to(referrer)) == {theirs.pk}


# ---- An employer-blind program ---------------------------------------------------------------


def test_in_an_employer_blind_program_a_manager_never_sees_a_colleagues_request(
    network, facility_a, facility_b, coordinator_a
):
    colleague = SupportRequestFactory(program=network, site=facility_a)
    elsewhere = SupportRequestFactory(program=network, site=facility_b)
    unknown = SupportRequestFactory(program=network, site=None)
    manager = tied(Role.COORDINATOR, network, facility_a, email="manager.a@example.org")

    assert seen(SupportRequest.objects.visible_to(manager)) == {elsewhere.pk}
    assert seen(SupportRequest.objects.visible_to(coordinator_a)) >= {
        colleague.pk,
        elsewhere.pk,
        unknown.pk,
    }


def test_a_supervisor_at_a_facility_never_sees_their_supervisees_match_with_a_colleague(
    network, facility_a, facility_b
):
    manager = tied(Role.SUPERVISOR, network, facility_a, email="manager.a@example.org")
    supervisee = SupporterFactory(program=network, site=facility_a, supervisor=manager)
    with_colleague = MatchFactory(
        program=network,
        supporter=supervisee,
        request=SupportRequestFactory(program=network, site=facility_a),
    )
    with_stranger = MatchFactory(
        program=network,
        supporter=SupporterFactory(program=network, site=facility_a, supervisor=manager),
        request=SupportRequestFactory(program=network, site=facility_b),
    )

    assert seen(Match.objects.visible_to(manager)) == {with_stranger.pk}
    assert not may_comment_on(manager, with_colleague)
    assert may_comment_on(manager, with_stranger)


def test_a_second_role_opens_no_way_round_the_employer_blind_rule(network, facility_a, facility_b):
    """A supervisor of the whole program who is also a coordinator tied to Facility A."""
    manager = user_with_role(Role.SUPERVISOR, network, email="manager.a@example.org")
    Membership.objects.create(user=manager, program=network, role=Role.COORDINATOR).sites.add(
        facility_a
    )
    colleague = MatchFactory(
        program=network,
        supporter=SupporterFactory(program=network, site=facility_b),
        request=SupportRequestFactory(program=network, site=facility_a),
    )

    assert colleague.pk not in seen(Match.objects.visible_to(manager))
    assert colleague.request_id not in seen(SupportRequest.objects.visible_to(manager))


def test_break_glass_does_not_exist_for_a_colleagues_request(network, facility_a, facility_b):
    manager = tied(Role.SUPERVISOR, network, facility_a, email="manager.a@example.org")
    colleague = SupportRequestFactory(program=network, site=facility_a)
    unknown = SupportRequestFactory(program=network, site=None)
    elsewhere = SupportRequestFactory(program=network, site=facility_b)

    assert break_glass.request_outside_scope(manager, colleague.pk) is None
    assert break_glass.request_outside_scope(manager, unknown.pk) is None
    # A request from elsewhere a supervisor does not see may still be opened in an emergency.
    assert break_glass.request_outside_scope(manager, elsewhere.pk) == elsewhere


def test_the_break_glass_page_of_a_colleagues_request_is_a_404(client, network, facility_a):
    manager = tied(Role.SUPERVISOR, network, facility_a, email="manager.a@example.org")
    colleague = SupportRequestFactory(program=network, site=facility_a)
    client.force_login(manager)

    response = client.get(reverse("intake:request_detail", args=[colleague.pk]))

    assert response.status_code == 404
    assert colleague.peer.first_name not in response.content.decode()


def test_an_employer_blind_programs_funder_report_never_names_a_site(program_a, facility_a):
    program_a.reported_demographics = [ReportedDemographic.SITE, ReportedDemographic.SOURCE]
    program_a.save(update_fields=["reported_demographics"])
    MatchFactory(
        program=program_a, request=SupportRequestFactory(program=program_a, site=facility_a)
    )
    period = Period(dt.date(2000, 1, 1), dt.date(2100, 12, 31))

    ordinary = build_report(programs=[program_a], period=period)
    program_a.is_employer_blind = True
    program_a.save(update_fields=["is_employer_blind"])
    blind = build_report(programs=[program_a], period=period)

    assert "Facility A" in repr(ordinary.sections)
    assert "Facility A" not in repr(blind.sections)
    assert reported_demographics([program_a]) == [ReportedDemographic.SOURCE]


# ---- Supervisors see their supervisees --------------------------------------------------------


def test_a_supervisor_sees_the_matches_of_those_they_supervise_only(program_a, facility_a):
    harjit = user_with_role(Role.SUPERVISOR, program_a, email="harjit@example.org")
    other = user_with_role(Role.SUPERVISOR, program_a, email="other@example.org")
    theirs = MatchFactory(program=program_a, supporter__supervisor=harjit)
    others = MatchFactory(program=program_a, supporter__supervisor=other)
    nobodys = MatchFactory(program=program_a, supporter__supervisor=None)

    assert seen(Match.objects.visible_to(harjit)) == {theirs.pk, nobodys.pk}
    assert seen(Match.objects.visible_to(other)) == {others.pk, nobodys.pk}
    assert set(supervisees(harjit)) == {theirs.supporter, nobodys.supporter}


def test_a_supervisor_tied_to_a_site_supervises_those_at_it_who_name_nobody(
    program_a, facility_a, facility_b
):
    at_a = SupporterFactory(program=program_a, site=facility_a)
    SupporterFactory(program=program_a, site=facility_b)
    SupporterFactory(program=program_a, site=None)
    supervisor = tied(Role.SUPERVISOR, program_a, facility_a, email="sup.a@example.org")

    assert seen(Supporter.objects.visible_to(supervisor)) == {at_a.pk}


def test_a_debrief_reaches_the_supporters_own_supervisors(program_a, facility_a, facility_b):
    named = user_with_role(Role.SUPERVISOR, program_a, email="named@example.org")
    at_a = tied(Role.SUPERVISOR, program_a, facility_a, email="sup.a@example.org")
    at_b = tied(Role.SUPERVISOR, program_a, facility_b, email="sup.b@example.org")
    supporter = SupporterFactory(program=program_a, site=facility_a)

    request_debrief(supporter=supporter, note="A hard call", by=supporter.user)
    supporter.supervisor = named
    supporter.save(update_fields=["supervisor"])
    request_debrief(supporter=supporter, note="Another", by=supporter.user)

    told = list(
        OutboxMessage.objects.filter(kind=supporter_messages.DEBRIEF_REQUESTED.code)
        .order_by("pk")
        .values_list("recipient__email", flat=True)
    )
    # First every supervisor whose scope holds them (the central one and the one at A), then
    # their named supervisor alone; never the supervisor tied to Facility B.
    assert sorted(told[:2]) == sorted([named.email, at_a.email])
    assert told[2:] == [named.email]
    assert at_b.email not in told


# ---- The pages of a coordinator tied to a site ------------------------------------------------


def test_a_tied_coordinator_works_a_request_of_their_site_but_matching_stays_central(
    client, program_a, facility_a, coordinator_a
):
    at_a = SupportRequestFactory(program=program_a, site=facility_a, peer__phone="+14165550199")
    supporter = SupporterFactory(program=program_a, site=facility_a)
    team_lead = tied(Role.COORDINATOR, program_a, facility_a, email="lead.a@example.org")
    client.force_login(team_lead)

    page = client.get(reverse("intake:request_detail", args=[at_a.pk]))
    supporter_page = client.get(reverse("supporters:detail", args=[supporter.pk]))
    matching = client.get(reverse("matching:search_waiting_requests", args=[supporter.pk]))

    assert page.status_code == 200
    assert at_a.peer.first_name in page.content.decode()
    assert "555-0199" in page.content.decode() or "5550199" in page.content.decode()
    assert supporter_page.status_code == 200
    assert "match_form" not in supporter_page.context
    assert matching.status_code == 404


def test_a_tied_coordinator_reads_a_persons_consents_but_their_changes_stay_central(
    client, program_a, facility_a
):
    at_a = SupportRequestFactory(program=program_a, site=facility_a)
    consent = Consent.objects.create(
        program=program_a,
        purpose=Purpose.SUPPORT,
        support_request=at_a,
        peer=at_a.peer,
        given_at=timezone.now(),
        given_how=GivenHow.ONLINE_FORM,
    )
    team_lead = tied(Role.COORDINATOR, program_a, facility_a, email="lead.a@example.org")
    give_authenticator_app(team_lead)
    client.force_login(team_lead)

    page = client.get(reverse("intake:request_detail", args=[at_a.pk])).content.decode()

    assert 'data-testid="consents"' in page
    for central_only in (
        reverse("privacy:withdraw", args=[consent.pk]),
        reverse("privacy:hold_person", args=[at_a.pk]),
        reverse("privacy:person_copy", args=[at_a.pk]),
        reverse("privacy:erase_person", args=[at_a.pk]),
        reverse("privacy:record", args=[at_a.pk, Purpose.SURVEYS.value]),
    ):
        assert central_only not in page
        assert client.get(central_only).status_code == 404, central_only
