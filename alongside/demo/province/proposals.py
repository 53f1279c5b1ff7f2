"""A program's open proposals: waiting requests each held by a draft, a proposal the supporter
has not answered yet, or one they accepted for the coordinator to confirm. Each pairs a request
with a supporter it fits and who has a place for it (a proposal holds one)."""

import datetime as dt
from dataclasses import replace
from decimal import Decimal

from alongside.demo.province.programs import ProvinceProgram
from alongside.demo.province.requests import add_requests, fitting
from alongside.demo.province.supporters import Supporters, bulk
from alongside.demo.shared import Seeder
from alongside.intake.models import RequestStatus
from alongside.matching.models import Proposal, ProposalStatus
from alongside.supporters.models import Supporter

STATUSES = (ProposalStatus.DRAFT, ProposalStatus.PROPOSED, ProposalStatus.ACCEPTED)


def add_proposals(
    seeder: Seeder, place: ProvinceProgram, supporters: Supporters, chosen: list[Supporter]
) -> None:
    """One proposal for each of the `chosen` supporters (one per place they give up)."""
    if not chosen:
        return
    asked = [
        replace(
            fitting(seeder, place, supporter, supporters.lived[supporter.pk]),
            status=RequestStatus.NEW,
            received_at=seeder.now - dt.timedelta(days=seeder.rng.uniform(0.2, 5)),
        )
        for supporter in chosen
    ]
    requests = add_requests(seeder, place, asked)
    rows = []
    for number, (request_, supporter) in enumerate(zip(requests, chosen, strict=True)):
        status = STATUSES[number % len(STATUSES)]
        sent_at = request_.received_at + dt.timedelta(hours=2)
        rows.append(
            Proposal(
                program=place.program,
                request=request_,
                supporter=supporter,
                status=status,
                score=Decimal(seeder.rng.randint(40, 95)),
                score_parts={},
                proposed_by=place.coordinator,
                sent_at=None if status == ProposalStatus.DRAFT else sent_at,
                respond_by=None
                if status == ProposalStatus.DRAFT
                else seeder.now + dt.timedelta(hours=seeder.rng.randint(2, 48)),
                responded_at=sent_at + dt.timedelta(hours=1)
                if status == ProposalStatus.ACCEPTED
                else None,
            )
        )
    bulk(rows)
