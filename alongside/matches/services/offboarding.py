"""Offboarding a supporter: a break, alumni or withdrawn, and each open match handed over.

The supporter's status is supporters' (supporters.services.offboarding); what becomes of their
open matches is decided here, above it, in the same transaction: all of it happens, or none.
"""

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from alongside.accounts.models import User
from alongside.core.errors import DomainError
from alongside.matches.handover import hand_over_match, return_to_waiting_list
from alongside.matches.models import Match
from alongside.supporters.models import Supporter, SupporterStatus, WithdrawalReason
from alongside.supporters.services.offboarding import leave, lock_to_leave


@dataclass(frozen=True)
class HandOver:
    """What becomes of one open match: another supporter takes it, or (None) the queue."""

    match: Match
    to_supporter: Supporter | None


def open_matches_of(supporter: Supporter) -> list[Match]:
    """The supporter's open matches, each to hand over, oldest first."""
    return list(
        supporter.matches.open().select_related("request__peer").order_by("started_at", "pk")
    )


def _match_name(match: Match) -> str:
    return _("the match with %(peer)s (#%(number)s)") % {
        "peer": match.request.peer.first_name,
        "number": match.pk,
    }


def _check_decisions(
    supporter: Supporter, open_matches: Sequence[Match], hand_overs: Sequence[HandOver]
) -> dict[int, HandOver]:
    """Every open match has exactly one decision, and nothing else has one."""
    decided = {hand_over.match.pk: hand_over for hand_over in hand_overs}
    if set(decided) - {match.pk for match in open_matches}:
        raise DomainError(
            _("A match chosen is not one of %(name)s's open matches; please reload the page.")
            % {"name": supporter.display_name}
        )
    for match in open_matches:
        if match.pk not in decided:
            raise DomainError(
                _("Choose who takes over %(match)s, or return them to the waiting list.")
                % {"match": _match_name(match)}
            )
    return decided


@transaction.atomic
def offboard_supporter(
    *,
    supporter: Supporter,
    by: User,
    status: SupporterStatus | str,
    reason: str,
    away_until: dt.date | None = None,
    withdrawal_reason: WithdrawalReason | str = "",
    hand_overs: Sequence[HandOver] = (),
    note: str = "",
) -> Supporter:
    """Move a supporter on a break, to alumni or withdrawn (with its main reason chosen),
    handing over each open match.

    Each match passes to the supporter chosen for it (checked as any new match is) or goes
    back to the waiting list; the peers and the new supporters hear through the outbox.
    All of it happens, or none of it.
    """
    leaving: dict[str, Any] = {
        "status": status,
        "reason": reason,
        "away_until": away_until,
        "withdrawal_reason": withdrawal_reason,
    }
    supporter = lock_to_leave(supporter=supporter, by=by, **leaving)
    handed, returned = _hand_over_open_matches(supporter, hand_overs, by=by, note=note)
    return leave(
        supporter=supporter,
        by=by,
        **leaving,
        what_became_of_their_work={"handed_over": handed, "returned_to_waiting_list": returned},
    )


def _hand_over_open_matches(
    supporter: Supporter, hand_overs: Sequence[HandOver], *, by: User, note: str
) -> tuple[int, int]:
    """Pass each open match on as decided; returns how many were handed over and returned."""
    open_matches = open_matches_of(supporter)
    decided = _check_decisions(supporter, open_matches, hand_overs)
    handed = returned = 0
    for match in open_matches:
        target = decided[match.pk].to_supporter
        try:
            if target is None:
                return_to_waiting_list(match=match, by=by, note=note)
                returned += 1
            else:
                hand_over_match(match=match, to_supporter=target, by=by, note=note)
                handed += 1
        except DomainError as error:
            raise DomainError(f"{_match_name(match).capitalize()}: {error.message}") from error
    return handed, returned
