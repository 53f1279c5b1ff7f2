"""Outcomes: what changed for the people supported, from the start of a match to its closure.

For each questionnaire: of the surveys sent in the period, how many were answered (the response
rate); of the closure surveys answered in the period whose match also has an answered start
survey of the same questionnaire, the mean score at start and at closure and the mean change.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Avg, Count, F, FilteredRelation, Q

from alongside.outcomes.models import Instrument, Occasion, Survey
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


def _start_survey() -> FilteredRelation:
    """A closure's match's start survey of the same questionnaire (one at most: the surveys'
    unique constraint), joined rather than looked up once a row."""
    return FilteredRelation(
        "match__surveys",
        condition=Q(
            match__surveys__occasion=Occasion.START,
            match__surveys__instrument=F("instrument"),
            match__surveys__score__isnull=False,
        ),
    )


def outcome_change(*, programs: Iterable[Program], period: Period) -> tuple[InstrumentChange, ...]:
    """Response rates and the start-to-closure change of each questionnaire (one query)."""
    chosen = as_list(programs)
    # Only the period's surveys (sent in it, or closures answered in it) are read.
    closures_paired = Q(
        occasion=Occasion.CLOSURE, score__isnull=False, start__score__isnull=False
    ) & in_period("answered_at", chosen, period)
    rows = (
        Survey.objects.filter(program__in=chosen)
        .filter(
            in_period("sent_at", chosen, period)
            | Q(occasion=Occasion.CLOSURE) & in_period("answered_at", chosen, period)
        )
        .annotate(start=_start_survey())
        .values(
            "instrument_id",
            "instrument__name",
            "instrument__translations",
            "instrument__scoring",
            "instrument__items",
        )
        .annotate(
            sent=Count("pk", filter=in_period("sent_at", chosen, period)),
            answered=Count(
                "pk", filter=in_period("sent_at", chosen, period) & Q(answered_at__isnull=False)
            ),
            pairs=Count("pk", filter=closures_paired),
            mean_start=Avg("start__score", filter=closures_paired),
            mean_closure=Avg(F("score"), filter=closures_paired),
        )
        .order_by()
    )
    changes = [
        InstrumentChange(
            name=instrument.in_language("name"),
            higher_is_better=instrument.rule.higher_is_better,
            sent=row["sent"],
            answered=row["answered"],
            pairs=row["pairs"],
            mean_start=_mean(row["mean_start"]),
            mean_closure=_mean(row["mean_closure"]),
        )
        for row in rows
        if row["sent"] or row["pairs"]
        # Its texts and rules as read with the counts (no second query for the instruments).
        for instrument in [
            Instrument(
                pk=row["instrument_id"],
                name=row["instrument__name"],
                translations=row["instrument__translations"],
                scoring=row["instrument__scoring"],
                items=row["instrument__items"],
            )
        ]
    ]
    return tuple(sorted(changes, key=lambda change: change.name.text))
