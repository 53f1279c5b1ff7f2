"""Who could support a request, and why the others cannot (the matching issue extends this)."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from alongside.intake.models import SupportRequest
from alongside.matches.models import OPEN_MATCH_STATUSES
from alongside.matching.scoring import (
    RequestFeatures,
    Score,
    SupporterFeatures,
    reasons_not_eligible,
    score,
)
from alongside.supporters.models import LivedExperience, Supporter, SupporterStatus
from alongside.supporters.queries import Readiness, readiness, readiness_of


@dataclass(frozen=True)
class Candidate:
    supporter: Supporter
    score: Score
    reasons_not_eligible: tuple[str, ...]

    @property
    def is_eligible(self) -> bool:
        return not self.reasons_not_eligible


def request_features(request: SupportRequest) -> RequestFeatures:
    return RequestFeatures(
        experience_family=request.experience.family_slug if request.experience else None,
        relationship=request.relationship,
        work_role=request.work_role,
        site_id=request.site_id,
        language=request.language,
        contact_methods=frozenset(request.contact_methods),
    )


def supporter_features(supporter: Supporter) -> SupporterFeatures:
    return SupporterFeatures(
        experience_families=frozenset(
            (lived.experience.family_slug, lived.relationship)
            for lived in supporter.experiences.all()
        ),
        work_role=supporter.work_role,
        site_id=supporter.site_id,
        languages=frozenset(supporter.languages),
        contact_methods=frozenset(supporter.contact_methods),
        open_matches=supporter.open_match_count,  # type: ignore[attr-defined]
        capacity=supporter.max_concurrent_matches,
    )


def supporters_with_load(program_id: int) -> QuerySet[Supporter]:
    return (
        Supporter.objects.filter(program_id=program_id)
        .select_related("user", "site")
        .prefetch_related(
            Prefetch(
                "experiences",
                queryset=LivedExperience.objects.select_related("experience__allied_to"),
            )
        )
        .annotate(
            open_match_count=Count("matches", filter=Q(matches__status__in=OPEN_MATCH_STATUSES))
        )
    )


def availability_reasons(
    supporter: Supporter, today: dt.date, ready: Readiness | None = None
) -> list[str]:
    """Why a supporter cannot take anyone now: status, a break, and the readiness gate."""
    reasons: list[str] = []
    if supporter.status != SupporterStatus.ACTIVE:
        reasons.append(
            _("is not ready to be matched (%(status)s)")
            % {"status": supporter.get_status_display().lower()}
        )
    if supporter.away_until and supporter.away_until >= today:
        reasons.append(_("is away until %(date)s") % {"date": supporter.away_until.isoformat()})
    # The readiness gate: every required step, check, training and agreement is current.
    reasons += (ready or readiness(supporter, today)).missing
    return reasons


def evaluate(
    request: SupportRequest, supporter: Supporter, ready: Readiness | None = None
) -> Candidate:
    """Score one supporter for one request, with every reason they cannot be matched."""
    wanted = request_features(request)
    offered = supporter_features(supporter)
    reasons = availability_reasons(supporter, timezone.localdate(), ready)
    if supporter.program_id != request.program_id:
        reasons.append(_("belongs to another program"))
    reasons += reasons_not_eligible(wanted, offered)
    return Candidate(
        supporter=supporter, score=score(wanted, offered), reasons_not_eligible=tuple(reasons)
    )


def shortlist(request: SupportRequest, *, limit: int = 10) -> list[Candidate]:
    """The eligible supporters for a request, best first (ties: lightest load, then name)."""
    active = list(supporters_with_load(request.program_id).filter(status=SupporterStatus.ACTIVE))
    # One readiness check for all of them, in a fixed number of queries.
    ready = readiness_of(active, timezone.localdate())
    candidates = [evaluate(request, supporter, ready[supporter.pk]) for supporter in active]
    eligible = [candidate for candidate in candidates if candidate.is_eligible]
    eligible.sort(
        key=lambda candidate: (
            -candidate.score.total,
            candidate.supporter.open_match_count,  # type: ignore[attr-defined]
            candidate.supporter.display_name,
        )
    )
    return eligible[:limit]


def evaluate_by_id(request: SupportRequest, supporter_id: int) -> Candidate | None:
    supporter = supporters_with_load(request.program_id).filter(pk=supporter_id).first()
    return evaluate(request, supporter) if supporter else None
