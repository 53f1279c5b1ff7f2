"""The province checked with the services' own rules, on a sample where a rule is slow to ask.

Every problem is said in words; the build fails when there is one (build.py).
"""

import random

from django.db.models import Count, F, Q
from django.utils import timezone

from alongside.demo.province.history_checks import history_problems
from alongside.matches.models import OPEN_MATCH_STATUSES, ContactLog, Match
from alongside.matching.models import HOLDING_STATUSES, Proposal
from alongside.matching.queries import check_pair
from alongside.programs.models import Program
from alongside.supporters.models import Supporter, SupporterStatus
from alongside.supporters.queries import readiness_of

SAMPLE = 200


def problems_in(programs: list[Program], rng: random.Random, sample: int = SAMPLE) -> list[str]:
    """What breaks the services' rules in these programs: none when the province is valid."""
    return (
        _not_ready(programs, rng, sample)
        + _over_capacity(programs)
        + _contacts_outside_their_match(programs)
        + _pairs_refused(programs, rng, sample // 2)
        + history_problems(programs, rng, sample)
    )


def _not_ready(programs: list[Program], rng: random.Random, sample: int) -> list[str]:
    """readiness_of, on each program's own day, for a sample of every program's active ones."""
    per_program = max(20, sample // max(1, len(programs)))
    chosen: list[int] = []
    for program in programs:
        ids = list(
            Supporter.objects.filter(program=program, status=SupporterStatus.ACTIVE).values_list(
                "pk", flat=True
            )
        )
        chosen += rng.sample(ids, min(per_program, len(ids)))
    supporters = list(Supporter.objects.filter(pk__in=chosen))
    return [
        f"Active supporter #{pk} is not ready: {'; '.join(state.missing)}."
        for pk, state in readiness_of(supporters).items()
        if not state.is_ready
    ]


def _over_capacity(programs: list[Program]) -> list[str]:
    """The places matching counts (open matches and the proposals holding one) within each
    supporter's limit (matching/snapshot `current_load`)."""
    matched = Match.objects.filter(program__in=programs, status__in=OPEN_MATCH_STATUSES)
    loads: dict[int, int] = dict(matched.values_list("supporter_id").annotate(count=Count("pk")))
    held = (
        Proposal.objects.filter(program__in=programs, status__in=HOLDING_STATUSES)
        .values_list("supporter_id")
        .annotate(count=Count("pk"))
    )
    for supporter_id, count in held:
        loads[supporter_id] = loads.get(supporter_id, 0) + count
    limits = Supporter.objects.filter(pk__in=list(loads)).values_list(
        "pk", "max_concurrent_matches"
    )
    return [
        f"Supporter #{pk} holds {loads[pk]} places, above their limit of {limit}."
        for pk, limit in limits
        if loads[pk] > limit
    ]


def _contacts_outside_their_match(programs: list[Program]) -> list[str]:
    outside = ContactLog.objects.filter(match__program__in=programs).filter(
        Q(occurred_at__lt=F("match__started_at")) | Q(occurred_at__gt=timezone.now())
    )
    count = outside.count()
    return [f"{count} contacts fall outside their match's dates."] if count else []


def _pairs_refused(programs: list[Program], rng: random.Random, sample: int) -> list[str]:
    """check_pair, the check that guards starting a match, on a sample of open matches whose
    supporter has room for one more (for a full one it rightly says they are full)."""
    with_room = (
        Supporter.objects.filter(program__in=programs, status=SupporterStatus.ACTIVE)
        .annotate(
            open_count=Count(
                "matches", filter=Q(matches__status__in=OPEN_MATCH_STATUSES), distinct=True
            ),
            held=Count(
                "proposals", filter=Q(proposals__status__in=HOLDING_STATUSES), distinct=True
            ),
        )
        .filter(open_count__gt=0, open_count__lt=F("max_concurrent_matches") - F("held"))
        .values_list("pk", flat=True)
    )
    ids = list(with_room)
    chosen = rng.sample(ids, min(sample, len(ids)))
    matches = (
        Match.objects.filter(supporter_id__in=chosen, status__in=OPEN_MATCH_STATUSES)
        .select_related("request__program", "supporter__program", "supporter__user")
        .order_by("pk")
    )
    problems = []
    seen: set[int] = set()
    for match in matches:
        if match.supporter_id in seen:
            continue
        seen.add(match.supporter_id)
        reasons = check_pair(match.request, match.supporter).reasons
        if reasons:
            problems.append(f"Match #{match.pk} breaks the matching rules: {'; '.join(reasons)}.")
    return problems
