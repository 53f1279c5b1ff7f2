"""Referrals: clinical staff ask for peer support on a client's behalf, with the client's consent.

Each referral keeps the version of the consent text its referrer read out (intake.consent), the
purpose, and what the client agreed to share with whom, so a later change of wording never
rewrites what an earlier client agreed to; the client's consents are also kept as records, as
every request's are (privacy, ADR 0008).
"""

import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from alongside.accounts.models import STAFF_ROLES, Role, User
from alongside.core.audit import record_event
from alongside.core.consent import Agreement
from alongside.core.errors import DomainError
from alongside.intake.consent import REFERRAL_CONSENT, ConsentText, referrer_sharing
from alongside.intake.models import Referral, ReferralConsent, Source, SupportRequest
from alongside.intake.services import submit_support_request

__all__ = ["REFERRAL_CONSENT", "ClientConsent", "ConsentText", "refer_client"]
from alongside.programs.models import Experience, Program, Relationship, Site
from alongside.programs.queries import holds_role_in, program_ids_for

MOST_GOALS = 5
GOAL_MOST_CHARACTERS = 200


@dataclass(frozen=True)
class ClientConsent:
    """What the client agreed to, as their referrer recorded it."""

    to_share: bool
    referrer_may_know_who: bool
    summary_to_referrer: bool


def programs_referred_to_by(user: User) -> list[Program]:
    """The active programs that take referrals and in which the user is a referrer."""
    return list(
        Program.objects.filter(
            pk__in=program_ids_for(user, {Role.REFERRER}), is_active=True, accepts_referrals=True
        ).order_by("name")
    )


def _clean_goals(goals: list[str]) -> str:
    kept = [" ".join(goal.split()) for goal in goals if goal.strip()]
    if not kept:
        raise DomainError(_("Write at least one goal the client would like to start with."))
    if len(kept) > MOST_GOALS:
        raise DomainError(_("Write at most %(most)s goals to start with.") % {"most": MOST_GOALS})
    if any(len(goal) > GOAL_MOST_CHARACTERS for goal in kept):
        raise DomainError(
            _("Keep each goal short: at most %(most)s characters.") % {"most": GOAL_MOST_CHARACTERS}
        )
    return "\n".join(kept)


def _ensure_may_refer(
    program: Program, referrer: User, site: Site | None, *, by_partner: bool
) -> None:
    if by_partner and not holds_role_in(referrer, STAFF_ROLES, program.pk):
        raise DomainError(
            _("Only a token made by a coordinator or administrator of %(program)s can refer to it.")
            % {"program": program}
        )
    if not by_partner and not holds_role_in(referrer, {Role.REFERRER}, program.pk):
        raise DomainError(
            _("You are not a referrer for %(program)s, so you cannot refer to it.")
            % {"program": program}
        )
    if not program.accepts_referrals:
        raise DomainError(_("%(program)s does not take referrals.") % {"program": program})
    if site is not None and site.program_id != program.pk:
        raise DomainError(_("Choose one of the program's sites or teams."))


@transaction.atomic
def refer_client(
    *,
    program: Program,
    referrer: User,
    submission_token: uuid.UUID,
    first_name: str,
    last_name: str = "",
    preferred_name: str = "",
    language: str,
    contact_methods: list[str],
    email: str = "",
    phone: str = "",
    best_times: str = "",
    goals: list[str],
    site: Site | None,
    experience: Experience | None,
    consent: ClientConsent,
    also_agreed: Sequence[Agreement] = (),
    by_partner: bool = False,
) -> SupportRequest:
    """Refer a client with their consent; tells the program's coordinators, as any request does.

    What the referrer may hear back, and `also_agreed` (surveys), are kept as the client's
    consents with the request. The same form sent twice returns the first referral and records
    nothing more. `by_partner`: a partner system sent it with a staff member's token (ADR 0015).
    """
    _ensure_may_refer(program, referrer, site, by_partner=by_partner)
    if not consent.to_share:
        raise DomainError(
            _("We can only take a referral when the client agrees to what is shared.")
        )
    goal_lines = _clean_goals(goals)
    support_request = submit_support_request(
        program=program,
        source=Source.REFERRAL,
        submission_token=submission_token,
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        email=email,
        phone=phone,
        contact_methods=contact_methods,
        language=language,
        experience=experience,
        relationship=Relationship.SELF,
        site=site,
        best_times=best_times.strip(),
        consent=True,
        also_agreed=[*_referrer_may_hear(consent), *also_agreed],
        referred_by=referrer,
    )
    if not Referral.objects.filter(request=support_request).exists():
        _record_referral(
            support_request,
            referrer=referrer,
            preferred_name=preferred_name.strip(),
            goals=goal_lines,
            consent=consent,
        )
    return support_request


def _referrer_may_hear(consent: ClientConsent) -> list[Agreement]:
    agreement = referrer_sharing(
        may_know_who=consent.referrer_may_know_who, summary=consent.summary_to_referrer
    )
    return [] if agreement is None else [agreement]


def _record_referral(
    support_request: SupportRequest,
    *,
    referrer: User,
    preferred_name: str,
    goals: str,
    consent: ClientConsent,
) -> None:
    referral = Referral.objects.create(
        request=support_request, preferred_name=preferred_name, goals=goals
    )
    recorded = ReferralConsent.objects.create(
        referral=referral,
        text_version=REFERRAL_CONSENT.version,
        purpose=str(REFERRAL_CONSENT.purpose),
        shared=[str(item) for item in REFERRAL_CONSENT.shared],
        shared_with=[str(audience) for audience in REFERRAL_CONSENT.shared_with],
        referrer_may_know_who=consent.referrer_may_know_who,
        summary_to_referrer=consent.summary_to_referrer,
        given_at=timezone.now(),
        recorded_by=referrer,
    )
    record_event(
        actor=referrer,
        action="intake.referral.consent_recorded",
        target=recorded,
        program_id=support_request.program_id,
        data={
            "request": support_request.pk,
            "text_version": recorded.text_version,
            "referrer_may_know_who": recorded.referrer_may_know_who,
            "summary_to_referrer": recorded.summary_to_referrer,
        },
    )


def record_referral_viewed(*, support_request: SupportRequest, viewer: User) -> None:
    """Notes that a referrer read their referral: the client's name, goals and contact details."""
    record_event(actor=viewer, action="intake.referral.viewed", target=support_request)


def consent_of(support_request: SupportRequest) -> ReferralConsent | None:
    """The consent recorded with a referral; None for a request that came in another way, or
    a referral made before consent was recorded with it."""
    return (
        ReferralConsent.objects.filter(referral__request_id=support_request.pk)
        .select_related("referral")
        .first()
    )
