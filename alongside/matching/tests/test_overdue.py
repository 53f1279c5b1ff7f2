"""Overdue proposals expired a batch at a time, as one at a time would."""

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from alongside.accounts.factories import user_with_role
from alongside.accounts.models import Role
from alongside.intake.factories import SupportRequestFactory
from alongside.matching import jobs, services
from alongside.matching.models import Proposal, ProposalStatus
from alongside.periodic.tests.both_ways import both_ways
from alongside.supporters.factories import LivedExperienceFactory, SupporterFactory

pytestmark = pytest.mark.django_db


def test_expiring_a_batch_of_proposals_equals_one_at_a_time(program_a, ms, coordinator_a):
    user_with_role(Role.COORDINATOR, program_a, language="fr-ca")
    start = timezone.now()
    proposals = []
    for hours in range(5):
        supporter = SupporterFactory(program=program_a)
        LivedExperienceFactory(supporter=supporter, experience=ms)
        with time_machine.travel(start + dt.timedelta(hours=hours), tick=False):
            proposals.append(
                services.propose(
                    support_request=SupportRequestFactory(program=program_a, experience=ms),
                    supporter=supporter,
                    proposed_by=coordinator_a,
                )
            )
    with time_machine.travel(start + dt.timedelta(hours=5), tick=False):
        services.respond(
            proposal=proposals[1],
            supporter_user=proposals[1].supporter.user,
            accept=False,
            reason="Away that month.",
        )
    now = start + dt.timedelta(hours=51, minutes=30)  # three of the other four are overdue

    batched, one_by_one = both_ways(jobs.expire_overdue_proposals, now, Proposal)

    assert batched == one_by_one
    assert batched.summary.changed == 3  # the first, third and fourth; the second was answered
    statuses = [proposal["status"] for proposal in batched.rows["Proposal"]]
    assert statuses == [
        ProposalStatus.EXPIRED,
        ProposalStatus.DECLINED,
        ProposalStatus.EXPIRED,
        ProposalStatus.EXPIRED,
        ProposalStatus.PROPOSED,
    ]
