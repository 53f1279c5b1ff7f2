"""The proposals as a list: those still open unless a status is chosen, accepted first, filters
and sorts, scoped to the coordinator's programs whatever the parameters, in a few queries."""

import pytest
from django.http import QueryDict
from django.urls import reverse

from alongside.intake.factories import PeerFactory, SupportRequestFactory
from alongside.matching.lists import PROPOSAL_LIST
from alongside.matching.models import Proposal, ProposalStatus
from alongside.programs.factories import SiteFactory
from alongside.supporters.factories import SupporterFactory

PROPOSALS = reverse("matching:proposals")


def proposal(program, *, status=ProposalStatus.PROPOSED, peer="Pat", score=50, site=None):
    return Proposal.objects.create(
        program=program,
        request=SupportRequestFactory(
            program=program, peer=PeerFactory(program=program, first_name=peer), site=site
        ),
        supporter=SupporterFactory(program=program),
        status=status,
        score=score,
    )


def rows(user, **params) -> list:
    query = QueryDict(mutable=True)
    query.update(params)
    return list(PROPOSAL_LIST.rows(user, query))


def test_the_list_shows_open_proposals_accepted_first_unless_a_status_is_chosen(
    coordinator_a, program_a
):
    draft = proposal(program_a, status=ProposalStatus.DRAFT)
    asked = proposal(program_a)
    accepted = proposal(program_a, status=ProposalStatus.ACCEPTED)
    declined = proposal(program_a, status=ProposalStatus.DECLINED)

    assert rows(coordinator_a) == [accepted, asked, draft]
    assert rows(coordinator_a, status="declined") == [declined]


def test_the_list_filters_by_the_persons_site_and_sorts_by_score_not_the_encrypted_name(
    coordinator_a, program_a
):
    north = SiteFactory(program=program_a, name="North")
    at_north = proposal(program_a, site=north, peer="Bo", score=80)
    other = proposal(program_a, peer="Al", score=60)

    assert rows(coordinator_a, site=str(north.pk)) == [at_north]
    assert rows(coordinator_a, sort="-score") == [at_north, other]
    assert rows(coordinator_a, sort="score") == [other, at_north]
    assert rows(coordinator_a, sort="peer") == rows(coordinator_a)  # as by default
    assert rows(coordinator_a, q="bo") == [at_north]


def test_another_programs_id_in_the_filter_shows_only_ones_own_proposals(
    coordinator_a, program_a, program_b
):
    mine = proposal(program_a)
    proposal(program_b)

    assert rows(coordinator_a, program=str(program_b.pk)) == [mine]


def test_a_supporter_cannot_open_the_list(client, supporter_a):
    client.force_login(supporter_a.user)

    assert client.get(PROPOSALS).status_code == 403


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"sort": "-status"},
        {"sort": "supporter"},
        {"sort": "answer_by", "status": "proposed"},
        {"q": "a", "sort": "-score"},
        {"page": "2", "per_page": "25"},
    ],
)
def test_every_sort_and_filter_of_the_proposals_takes_a_handful_of_queries(
    client, coordinator_a, program_a, django_assert_max_num_queries, params
):
    for status in (ProposalStatus.DRAFT, ProposalStatus.PROPOSED, ProposalStatus.ACCEPTED):
        for _ in range(10):
            proposal(program_a, status=status)
    client.force_login(coordinator_a)

    # The menu's, the programs and their sites, the count, the page's ids, then its rows.
    with django_assert_max_num_queries(10):
        response = client.get(PROPOSALS, params | {"program": program_a.pk})

    assert response.status_code == 200
