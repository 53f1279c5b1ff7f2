"""Outcome change: for any surveys of any questionnaires, in programs in any zones, and any
period, the response rates and the start and closure means equal a count made by hand, survey by
survey, with each day read in its program's zone."""

import datetime as dt
import itertools
import zoneinfo
from collections import defaultdict
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from alongside.matches.factories import MatchFactory
from alongside.outcomes.factories import SurveyFactory, seeded_instrument
from alongside.outcomes.models import Occasion, Survey
from alongside.programs.factories import ProgramFactory
from alongside.programs.models import Program
from alongside.reports.figures.outcomes import outcome_change
from alongside.reports.periods import Period

ZONES = ["America/Toronto", "America/Vancouver", "America/St_Johns"]
INSTRUMENTS = ["loneliness-3", "wellbeing-short"]
FIRST_DAY = dt.date(2026, 1, 1)
DAYS = 90
counter = itertools.count()

moment = st.tuples(st.integers(0, DAYS - 1), st.integers(0, 24 * 60 - 1))
answer = st.one_of(st.none(), st.tuples(st.integers(0, 20), st.integers(0, 30)))  # hours, score
# For each match and questionnaire, each occasion's survey: not sent, or sent at a moment and
# answered so many hours later with a score (or not answered).
occasions = st.fixed_dictionaries(
    {
        occasion: st.one_of(st.none(), st.tuples(moment, answer))
        for occasion in (Occasion.START, Occasion.MILESTONE, Occasion.CLOSURE)
    }
)


def at(day: int, minute: int) -> dt.datetime:
    return dt.datetime.combine(FIRST_DAY, dt.time(), tzinfo=dt.UTC) + dt.timedelta(
        days=day, minutes=minute
    )


def by_hand(
    programs: list[Program], period: Period
) -> dict[str, tuple[int, int, int, Decimal | None, Decimal | None]]:
    def in_period(program: Program, moment: dt.datetime | None) -> bool:
        if moment is None:
            return False
        day = moment.astimezone(zoneinfo.ZoneInfo(program.time_zone)).date()
        return period.start <= day <= period.end

    sent: dict[str, int] = defaultdict(int)
    answered: dict[str, int] = defaultdict(int)
    starts: dict[str, list[Decimal]] = defaultdict(list)
    closures: dict[str, list[Decimal]] = defaultdict(list)
    for program in programs:
        surveys = list(Survey.objects.filter(program=program).select_related("instrument"))
        start_scores = {
            (survey.match_id, survey.instrument_id): survey.score
            for survey in surveys
            if survey.occasion == Occasion.START and survey.score is not None
        }
        for survey in surveys:
            name = survey.instrument.name
            if in_period(program, survey.sent_at):
                sent[name] += 1
                answered[name] += survey.answered_at is not None
            start = start_scores.get((survey.match_id, survey.instrument_id))
            if (
                survey.occasion == Occasion.CLOSURE
                and survey.score is not None
                and start is not None
                and in_period(program, survey.answered_at)
            ):
                starts[name].append(start)
                closures[name].append(survey.score)

    def mean(scores: list[Decimal]) -> Decimal | None:
        return (sum(scores) / len(scores)).quantize(Decimal("0.01")) if scores else None

    return {
        name: (
            sent[name],
            answered[name],
            len(starts[name]),
            mean(starts[name]),
            mean(closures[name]),
        )
        for name in set(sent) | set(starts)
        if sent[name] or starts[name]
    }


@pytest.mark.django_db
@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    zones=st.tuples(st.sampled_from(ZONES), st.sampled_from(ZONES)),
    surveys=st.lists(occasions, min_size=8, max_size=8),
    bounds=st.tuples(st.integers(0, DAYS - 1), st.integers(0, DAYS - 1)),
)
def test_outcome_change_equals_a_count_by_hand(zones, surveys, bounds):
    programs = [ProgramFactory(slug=f"outcomes-{next(counter)}", time_zone=zone) for zone in zones]
    matches = [MatchFactory(program=programs[number // 2]) for number in range(4)]
    instruments = [seeded_instrument(slug) for slug in INSTRUMENTS]
    pairs = itertools.product(matches, instruments)
    for (match, instrument), sent in zip(pairs, surveys, strict=True):
        for occasion, survey in sent.items():
            if survey is None:
                continue
            (day, minute), answer = survey
            SurveyFactory(
                match=match,
                instrument=instrument,
                occasion=occasion,
                month=1 if occasion == Occasion.MILESTONE else 0,
                sent_at=at(day, minute),
                answered_at=None if answer is None else at(day, minute + 60 * answer[0]),
                score=None if answer is None else answer[1],
            )
    first, last = sorted(bounds)
    period = Period(FIRST_DAY + dt.timedelta(days=first), FIRST_DAY + dt.timedelta(days=last))

    shown = {
        change.name.text: (
            change.sent,
            change.answered,
            change.pairs,
            change.mean_start,
            change.mean_closure,
        )
        for change in outcome_change(programs=programs, period=period)
    }

    assert shown == by_hand(programs, period)
