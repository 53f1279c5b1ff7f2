"""Outcomes: what changed for the people supported, from the start of a match to its closure.

For each questionnaire: of the surveys sent in the period, how many were answered (the response
rate); of the closure surveys answered in the period whose match also has an answered start
survey of the same questionnaire, the mean score at start and at closure and the mean change.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Avg, Count, F, FilteredRelation, Q

from alongside.outcomes.models import Instrument, Occasion
from alongside.programs.content import Text
from alongside.programs.models import Program
from alongside.reports.figures.scope import as_list, in_period
from alongside.reports.periods import Period


@dataclass(frozen=True)
class InstrumentChange:
    name: Text  # in the reader's language, else the installation's (|marked names it)
    higher_is_better: bool
    sent: int
    answered: int
    pairs: int  # matches with both a start and a closure score
    mean_start: Decimal | None
    mean_closure: Decimal | None

    @property
    def response_rate(self) -> float | None:
        return self.answered / self.sent if self.sent else None

    @property
    def mean_change(self) -> Decimal | None:
        if self.mean_start is None or self.mean_closure is None:
            return None
        return self.mean_closure - self.mean_start

    @property
    def improved(self) -> bool | None:
        """Whether the mean moved the better way (None when it did not move or is unknown)."""
        if not self.mean_change:
            return None
        return (self.mean_change > 0) == self.higher_is_better


def _mean(value: object) -> Decimal | None:
    return None if value is None else Decimal(str(value)).quantize(Decimal("0.01"))


def _read(programs: list[Program], period: Period) -> FilteredRelation:
    """The period's surveys of a questionnaire: sent in it, or closures answered in it."""

    def during(field: str) -> Q:
        return in_period(f"surveys__{field}", programs, period, program_field="surveys__program_id")

    return FilteredRelation(
        "surveys",
        condition=during("sent_at") | Q(surveys__occasion=Occasion.CLOSURE) & during("answered_at"),
    )


def _start(programs: list[Program]) -> FilteredRelation:
    """The start survey of the same questionnaire and match as a survey read (one at most: the
    surveys' unique constraint), joined on the match's key rather than through the matches
    table, and rather than looked up once a row. A survey is in its match's program, so the
    start survey is in one of `programs` too: saying so lets the database read only theirs."""
    return FilteredRelation(
        "surveys",
        condition=Q(
            surveys__occasion=Occasion.START,
            surveys__match=F("read__match"),
            surveys__score__isnull=False,
            surveys__program_id__in=[program.pk for program in programs],
        ),
    )


def outcome_change(*, programs: Iterable[Program], period: Period) -> tuple[InstrumentChange, ...]:
    """Response rates and the start-to-closure change of each questionnaire (one query).

    The questionnaires are read with their counts, grouped by their own key: grouping the
    surveys by the questionnaire's texts instead cost the database most of the dashboard's
    time (it compared each survey's questionnaire items to group it).
    """
    chosen = as_list(programs)

    def during(field: str) -> Q:
        return in_period(f"read__{field}", chosen, period, program_field="read__program_id")

    sent = during("sent_at")
    closed = Q(read__occasion=Occasion.CLOSURE) & during("answered_at")
    paired = closed & Q(read__score__isnull=False, start__score__isnull=False)
    instruments = (
        Instrument.objects.alias(read=_read(chosen, period))
        .filter(read__isnull=False)
        .alias(start=_start(chosen))
        .annotate(
            sent=Count("read", filter=sent),
            answered=Count("read", filter=sent & Q(read__answered_at__isnull=False)),
            pairs=Count("read", filter=paired),
            mean_start=Avg("start__score", filter=paired),
            mean_closure=Avg("read__score", filter=paired),
        )
        .order_by()
    )
    changes = [
        InstrumentChange(
            name=instrument.in_language("name"),
            higher_is_better=instrument.rule.higher_is_better,
            sent=instrument.sent,
            answered=instrument.answered,
            pairs=instrument.pairs,
            mean_start=_mean(instrument.mean_start),
            mean_closure=_mean(instrument.mean_closure),
        )
        for instrument in instruments
        if instrument.sent or instrument.pairs
    ]
    return tuple(sorted(changes, key=lambda change: change.name.text))
