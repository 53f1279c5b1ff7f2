"""What a referrer sees of their referrals: the request's state, and of its match only what the
client agreed to at referral (who the peer support worker is; a summary once it ends). A client
who withdrew their consent to sharing with the referrer is no longer followed at all."""

from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext_lazy as _

from alongside.accounts.models import Role, User
from alongside.core.consent import Purpose, Standing
from alongside.intake.hooks import consent_standings
from alongside.intake.models import (
    Referral,
    ReferralConsent,
    RequestStatus,
    Source,
    SupportRequest,
)
from alongside.matches.models import Match, MatchStatus
from alongside.matches.referrals import ClosingSummary, closing_summary
from alongside.programs.queries import program_ids_for


def referrals_of(user: User) -> QuerySet[SupportRequest]:
    """The requests this user referred, in the programs where they are still a referrer."""
    return SupportRequest.objects.filter(
        source=Source.REFERRAL,
        referred_by_id=user.pk,
        program_id__in=program_ids_for(user, {Role.REFERRER}),
    )


def referral_list(user: User) -> QuerySet[SupportRequest]:
    """The user's referrals, the latest first, with their consent and matches in few queries."""
    return (
        referrals_of(user)
        .select_related("program", "peer", "referral__consent")
        .prefetch_related(
            Prefetch(
                "matches",
                queryset=Match.objects.select_related("supporter__user").order_by("-started_at"),
            )
        )
        .order_by("-received_at", "-pk")
    )


@dataclass(frozen=True)
class WhatTheReferrerSees:
    """One referral as its referrer may see it."""

    support_request: SupportRequest
    referral: Referral | None
    consent: ReferralConsent | None
    matched_with: str
    summary: ClosingSummary | None
    sharing_withdrawn: bool = False

    @property
    def status_label(self) -> str:
        if self.sharing_withdrawn:
            return str(_("No longer shared with you"))
        return str(self.support_request.get_status_display())

    @property
    def is_waiting(self) -> bool:
        return not self.sharing_withdrawn and self.support_request.status == RequestStatus.NEW

    @property
    def is_matched(self) -> bool:
        return not self.sharing_withdrawn and self.support_request.status == RequestStatus.MATCHED

    @property
    def has_ended(self) -> bool:
        return not self.sharing_withdrawn and self.support_request.status == RequestStatus.CLOSED


def _consent(support_request: SupportRequest) -> tuple[Referral | None, ReferralConsent | None]:
    referral = getattr(support_request, "referral", None)
    if referral is None:
        return None, None
    return referral, getattr(referral, "consent", None)


def what_the_referrers_see(
    support_requests: Sequence[SupportRequest], *, with_summary: bool = False
) -> list[WhatTheReferrerSees]:
    """What the referrer sees of each referral (one query more for all of them: whether the
    client withdrew their consent to sharing with the referrer)."""
    sharing = consent_standings([one.pk for one in support_requests], Purpose.REFERRER)
    return [
        what_the_referrer_sees(
            one,
            with_summary=with_summary,
            sharing_withdrawn=sharing[one.pk] == Standing.WITHDRAWN,
        )
        for one in support_requests
    ]


def what_the_referrer_sees(
    support_request: SupportRequest, *, with_summary: bool = False, sharing_withdrawn: bool
) -> WhatTheReferrerSees:
    """The referral, whom it is matched with when the client agreed that the referrer know,
    and (`with_summary`) the closing summary when it ended and the client agreed to one;
    only what the referrer wrote once the client withdrew their consent to sharing with them."""
    referral, consent = _consent(support_request)
    if sharing_withdrawn:
        return WhatTheReferrerSees(
            support_request=support_request,
            referral=referral,
            consent=consent,
            matched_with="",
            summary=None,
            sharing_withdrawn=True,
        )
    matches = sorted(support_request.matches.all(), key=lambda match: match.started_at)[::-1]
    latest = matches[0] if matches else None
    shown_match = latest if support_request.status != RequestStatus.NEW else None
    may_know_who = consent is not None and consent.referrer_may_know_who
    summary = None
    if (
        with_summary
        and latest is not None
        and latest.status == MatchStatus.CLOSED
        and latest.summary_to_referrer_consented
        and support_request.status == RequestStatus.CLOSED
    ):
        summary = closing_summary(latest)
    return WhatTheReferrerSees(
        support_request=support_request,
        referral=referral,
        consent=consent,
        matched_with=shown_match.supporter.display_name if shown_match and may_know_who else "",
        summary=summary,
    )
