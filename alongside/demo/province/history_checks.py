"""The history checked with the services' own rules (build.py fails when one is broken): closed
matches as close_match leaves them, never more matches at once than a supporter's limit, hours
reports as the month-end job pre-fills them, questionnaires scored by their instrument."""

import random
from collections import defaultdict

from django.db.models import Exists, F, OuterRef, Q, QuerySet

from alongside.intake.models import RequestStatus
from alongside.matches.hours import prefill_for
from alongside.matches.models import (
    CheckIn,
    CheckInKind,
    ClosureReason,
    Goal,
    GoalStatus,
    HoursReport,
    Match,
    MatchStatus,
)
from alongside.matches.services.closure import PERSON_MAY_BE_UNREACHABLE
from alongside.outcomes.models import Survey
from alongside.outcomes.scoring import score
from alongside.programs.models import Program
from alongside.supporters.models import Supporter


def history_problems(programs: list[Program], rng: random.Random, sample: int) -> list[str]:
    closed = Match.objects.filter(program__in=programs, status=MatchStatus.CLOSED)
    return (
        _badly_closed(closed)
        + _over_capacity_in_time(programs, rng, sample)
        + _reports_unlike_the_log(programs, rng, sample)
        + _surveys_misscored(programs, rng, sample)
    )


def _badly_closed(closed: QuerySet[Match]) -> list[str]:
    closure = CheckIn.objects.filter(match=OuterRef("pk"), kind=CheckInKind.CLOSURE)
    heard = closure.filter(with_supporter=True).filter(
        Q(with_peer=True) | Q(match__closure_reason__in=PERSON_MAY_BE_UNREACHABLE)
    )
    unsettled = Goal.objects.filter(match=OuterRef("pk"), status=GoalStatus.ACTIVE)
    achieved = Goal.objects.filter(match=OuterRef("pk"), status=GoalStatus.ACHIEVED)
    wrong = {
        "closed without a reason or before they started": Q(closure_reason="")
        | Q(closed_at__isnull=True)
        | Q(closed_at__lte=F("started_at")),
        "matched before their request came in": Q(started_at__lt=F("request__received_at")),
        "without a closure check-in that heard from both sides": ~Q(Exists(heard)),
        "whose request is not closed": ~Q(request__status=RequestStatus.CLOSED),
        "closed as goals met with a goal unsettled or none achieved": Q(
            closure_reason=ClosureReason.GOALS_MET
        )
        & (Q(Exists(unsettled)) | ~Q(Exists(achieved))),
    }
    problems = []
    for what, condition in wrong.items():
        count = closed.filter(condition).count()
        if count:
            problems.append(f"{count} closed matches {what}.")
    return problems


def _over_capacity_in_time(programs: list[Program], rng: random.Random, sample: int) -> list[str]:
    """For a sample of supporters, the most matches open at one moment within their limit."""
    ids = list(
        Match.objects.filter(program__in=programs).values_list("supporter_id", flat=True).distinct()
    )
    chosen = rng.sample(ids, min(sample, len(ids)))
    spans = defaultdict(list)
    for supporter_id, started_at, closed_at in Match.objects.filter(
        supporter_id__in=chosen
    ).values_list("supporter_id", "started_at", "closed_at"):
        spans[supporter_id].append((started_at, closed_at))
    limits = dict(
        Supporter.objects.filter(pk__in=chosen).values_list("pk", "max_concurrent_matches")
    )
    problems = []
    for supporter_id, theirs in spans.items():
        moments = sorted(
            [(start, 1) for start, _end in theirs]
            + [(end, -1) for _start, end in theirs if end is not None],
            key=lambda moment: (moment[0], moment[1]),
        )
        most = held = 0
        for _moment, change in moments:
            held += change
            most = max(most, held)
        if most > limits[supporter_id]:
            problems.append(
                f"Supporter #{supporter_id} once held {most} matches, above their limit of "
                f"{limits[supporter_id]}."
            )
    return problems


def _reports_unlike_the_log(programs: list[Program], rng: random.Random, sample: int) -> list[str]:
    ids = list(HoursReport.objects.filter(program__in=programs).values_list("pk", flat=True))
    chosen = rng.sample(ids, min(sample // 4, len(ids)))
    problems = []
    for report in HoursReport.objects.filter(pk__in=chosen).select_related("supporter__program"):
        prefill = prefill_for(report.supporter, report.month)
        if (report.logged_minutes, report.logged_contacts) != (prefill.minutes, prefill.contacts):
            problems.append(f"Hours report #{report.pk} is not what its supporter logged.")
    return problems


def _surveys_misscored(programs: list[Program], rng: random.Random, sample: int) -> list[str]:
    answered = Survey.objects.filter(program__in=programs, answered_at__isnull=False)
    ids = list(answered.values_list("pk", flat=True))
    chosen = rng.sample(ids, min(sample, len(ids)))
    return [
        f"Survey #{survey.pk} scores {survey.score}, not its instrument's score."
        for survey in Survey.objects.filter(pk__in=chosen).select_related("instrument")
        if survey.score
        != score(survey.instrument.item_list, survey.instrument.rule, survey.answers)
    ]
