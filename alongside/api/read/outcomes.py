"""A program's outcome figures, as the outcomes page reads them (`get_program_for`, then
`program_figures`), in the token's program (ADR 0015): per questionnaire, how many were sent
and answered and the mean scores; never one person's answers."""

from decimal import Decimal

from django.http import HttpRequest
from ninja import Router, Schema

from alongside.api.auth import caller_for, documented_scope
from alongside.api.models import Scope
from alongside.api.problems import not_found, responses
from alongside.api.read.params import an_id
from alongside.outcomes.queries import program_figures
from alongside.programs.permissions import get_program_for

outcomes_router = Router(tags=["programs"])


class InstrumentFiguresOut(Schema):
    instrument_id: int
    instrument: str
    sent: int
    answered: int
    response_rate: int
    mean_start: float | None
    mean_closure: float | None
    mean_change: float | None
    pairs: int
    mean_score: float | None


class OutcomeFiguresOut(Schema):
    program_id: int
    instruments: list[InstrumentFiguresOut]


def _number(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


@outcomes_router.get(
    "/{program_id}/outcomes",
    response=responses({200: OutcomeFiguresOut}, 404),
    openapi_extra=documented_scope(Scope.READ_REPORTS),
)
def program_outcomes(request: HttpRequest, program_id: int = an_id()) -> OutcomeFiguresOut:
    """A program's outcome questionnaires: how many were sent and answered, the mean scores
    at the start and at closure, and their mean change over the matches answered at both."""
    caller = caller_for(request, Scope.READ_REPORTS)
    program = get_program_for(caller.user, program_id)
    if not caller.reaches_program(program.pk):
        raise not_found()
    return OutcomeFiguresOut(
        program_id=program.pk,
        instruments=[
            InstrumentFiguresOut(
                instrument_id=figure.instrument.pk,
                instrument=str(figure.instrument.in_language("name")),
                sent=figure.sent,
                answered=figure.answered,
                response_rate=figure.response_rate,
                mean_start=_number(figure.mean_start),
                mean_closure=_number(figure.mean_closure),
                mean_change=_number(figure.mean_change),
                pairs=figure.pairs,
                mean_score=_number(figure.mean_score),
            )
            for figure in program_figures(program)
        ],
    )
