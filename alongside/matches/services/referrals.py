"""A referred client's match: the goals their referrer wrote become its first goals, and the
referrer hears when it starts and ends, with what the client agreed they may know.

A client who withdraws their consent to sharing with the referrer stops every update to them
from then on (privacy keeps the consent; intake's hooks say where it stands, ADR 0008).
"""

from alongside.accounts.models import User
from alongside.core.consent import Purpose, Standing
from alongside.core.lazy_text import lowered
from alongside.intake.hooks import consent_standing
from alongside.intake.models import Source
from alongside.intake.referrals import consent_of
from alongside.matches import messages
from alongside.matches.models import ClosureReason, Match
from alongside.matches.referrals import closing_summary
from alongside.matches.services.goals import add_goal
from alongside.notifications.notify import CHANNEL, DayOf, notify


def _referrer_of(match: Match) -> tuple[User | None, Standing]:
    """Who referred the client, unless the client withdrew their consent to sharing with them;
    and where that consent stands."""
    support_request = match.request
    if support_request.source != Source.REFERRAL or support_request.referred_by is None:
        return None, Standing.NOT_GIVEN
    sharing = consent_standing(support_request, Purpose.REFERRER)
    if sharing == Standing.WITHDRAWN:
        return None, sharing
    return support_request.referred_by, sharing


def add_starting_goals(*, match: Match, by: User) -> None:
    """The goals written at referral become the first goals of the client's first match."""
    consent = consent_of(match.request)
    if consent is None or not match.program.is_goal_based:
        return
    if Match.objects.filter(request_id=match.request_id).exclude(pk=match.pk).exists():
        return  # a later match: the goals went to the first one, and moved on with it
    for description in consent.referral.goal_list:
        add_goal(match=match, by=by, description=description, review_on=None)


def tell_referrer_matched(match: Match) -> None:
    """Tells the referrer that the client is matched, and with whom when the client agreed."""
    referrer, sharing = _referrer_of(match)
    if referrer is None:
        return
    consent = consent_of(match.request)
    named = consent is not None and consent.referrer_may_know_who and sharing == Standing.GIVEN
    notify(
        kind=messages.REFERRAL_MATCHED_WITH if named else messages.REFERRAL_MATCHED,
        recipients=[referrer],
        context={"peer": match.request.peer.first_name}
        | ({"supporter": match.supporter.display_name} if named else {}),
        idempotency_key=("matches.referral.matched", match.pk, CHANNEL),
        channels=messages.TO_REFERRER,
        program=match.program,
    )


def tell_referrer_closed(match: Match) -> None:
    """Tells the referrer that the match ended, with its summary when the client agreed."""
    referrer, _sharing = _referrer_of(match)
    if referrer is None:
        return
    context: dict[str, object] = {"peer": match.request.peer.first_name}
    kind = messages.REFERRAL_ENDED
    if match.summary_to_referrer_consented and match.closure_reason:
        kind = messages.MATCH_CLOSED
        summary = closing_summary(match)
        context |= {
            # The days in the referrer's own zone, as notify() writes them for each reader.
            "start": DayOf(match.started_at),
            "end": DayOf(match.closed_at) if match.closed_at else summary.ended_on,
            "weeks": summary.weeks,
            "contacts": summary.conversations,
            "goals_achieved": summary.goals_achieved,
            "goals_total": summary.goals_total,
            # The label, read in the referrer's language.
            "reason": lowered(ClosureReason(match.closure_reason).label),
        }
    notify(
        kind=kind,
        recipients=[referrer],
        context=context,
        idempotency_key=("matches.match.closed", match.pk, "referrer", CHANNEL),
        channels=messages.TO_REFERRER,
        program=match.program,
    )


def summary_consented_at_referral(match: Match) -> bool | None:
    """Whether the client agreed, at referral, that the referrer receives a closing summary, and
    has not withdrawn it since; None when no consent was recorded with the referral (it is
    asked at closing instead)."""
    consent = consent_of(match.request)
    if consent is None:
        return None
    if not consent.summary_to_referrer:
        return False
    return consent_standing(match.request, Purpose.REFERRER) == Standing.GIVEN
