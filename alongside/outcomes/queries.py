"""Reads of outcomes: per match and per program, and the de-identified export."""

import hashlib
import hmac
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db.models import QuerySet

from alongside.outcomes.models import Instrument, Occasion, ProgramInstrument, Survey
from alongside.programs.models import Program


@dataclass(frozen=True)
class Change:
    instrument: Instrument
    start: Decimal | None
    closure: Decimal | None

    @property
    def change(self) -> Decimal | None:
        if self.start is None or self.closure is None:
            return None
        return self.closure - self.start

    @property
    def improved(self) -> bool | None:
        if self.change is None or self.change == 0:
            return None
        better = self.instrument.rule.higher_is_better
        return (self.change > 0) == better


def surveys_for_match(match_id: int) -> QuerySet[Survey]:
    return Survey.objects.filter(match_id=match_id).select_related("instrument")


def changes_for_match(match_id: int) -> list[Change]:
    """Each instrument's score at the start and at closure, and the change between them."""
    return changes_from(surveys_for_match(match_id).filter(answered_at__isnull=False))


def changes_from(surveys: Iterable[Survey]) -> list[Change]:
    """The changes the answered ones of a match's `surveys` show (surveys_for_match's rows)."""
    by_instrument: dict[int, dict[str, Decimal | None]] = {}
    instruments: dict[int, Instrument] = {}
    for survey in surveys:
        if survey.answered_at is None:
            continue
        instruments[survey.instrument_id] = survey.instrument
        by_instrument.setdefault(survey.instrument_id, {})[survey.occasion] = survey.score
    return [
        Change(
            instrument=instruments[key],
            start=scores.get(Occasion.START),
            closure=scores.get(Occasion.CLOSURE),
        )
        for key, scores in by_instrument.items()
    ]


@dataclass(frozen=True)
class InstrumentFigures:
    instrument: Instrument
    sent: int
    answered: int
    mean_start: Decimal | None
    mean_closure: Decimal | None
    mean_change: Decimal | None
    pairs: int
    mean_score: Decimal | None

    @property
    def response_rate(self) -> int:
        return round(100 * self.answered / self.sent) if self.sent else 0


def _mean(values: list[Decimal]) -> Decimal | None:
    if not values:
        return None
    return (sum(values, Decimal(0)) / len(values)).quantize(Decimal("0.01"))


def _scores_at(surveys: list[Survey], occasion: Occasion) -> dict[int, Decimal]:
    return {
        survey.match_id: survey.score
        for survey in surveys
        if survey.occasion == occasion and survey.score is not None
    }


def program_figures(program: Program) -> list[InstrumentFigures]:
    """Per instrument: response rate, mean scores at start and closure, and mean change."""
    surveys = list(
        Survey.objects.filter(program=program).select_related("instrument").order_by("id")
    )
    figures = []
    for instrument in sorted({survey.instrument for survey in surveys}, key=lambda i: i.name):
        own = [survey for survey in surveys if survey.instrument_id == instrument.pk]
        answered = [survey for survey in own if survey.score is not None]
        starts = _scores_at(answered, Occasion.START)
        closures = _scores_at(answered, Occasion.CLOSURE)
        changes = [
            closures[match_id] - start for match_id, start in starts.items() if match_id in closures
        ]
        figures.append(
            InstrumentFigures(
                instrument=instrument,
                sent=len(own),
                answered=len(answered),
                mean_start=_mean(list(starts.values())),
                mean_closure=_mean(list(closures.values())),
                mean_change=_mean(changes),
                pairs=len(changes),
                mean_score=_mean([s.score for s in answered if s.score is not None]),
            )
        )
    return figures


def pseudonym(match_id: int) -> str:
    """A stable code for a match that cannot be turned back into it without the secret key."""
    digest = hmac.new(
        settings.SECRET_KEY.encode(), f"outcomes-export:{match_id}".encode(), hashlib.sha256
    )
    return digest.hexdigest()[:12]


EXPORT_HEADER = ("match", "instrument", "occasion", "month", "sent_month", "answered", "score")


def export_rows(program: Program) -> Iterator[tuple[str, ...]]:
    """One row per questionnaire sent: no names, no dates finer than the month, no free text."""
    yield EXPORT_HEADER
    for survey in (
        Survey.objects.filter(program=program)
        .select_related("instrument")
        .order_by("match_id", "sent_at")
    ):
        yield (
            pseudonym(survey.match_id),
            survey.instrument.slug,
            survey.occasion,
            str(survey.month),
            f"{survey.sent_at:%Y-%m}",
            "yes" if survey.is_answered else "no",
            "" if survey.score is None else f"{survey.score.normalize():f}",
        )


def surveys_to_answer() -> QuerySet[Survey]:
    """Surveys with their questionnaire and program, for the page a person answers on."""
    return Survey.objects.select_related("instrument", "program", "match__request")


def instruments() -> QuerySet[Instrument]:
    return Instrument.objects.all()


def instrument_choices(program: Program) -> dict[int, ProgramInstrument]:
    """The program's choice for each questionnaire it uses (when it is sent), by instrument."""
    return {
        choice.instrument_id: choice for choice in ProgramInstrument.objects.filter(program=program)
    }
