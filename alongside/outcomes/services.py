"""Sending questionnaires by link and recording their answers."""

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from alongside.accounts.models import User
from alongside.core.audit import record_event
from alongside.core.consent import Purpose, Standing
from alongside.core.errors import DomainError
from alongside.intake.hooks import consent_standing
from alongside.intake.queries import peer_contact
from alongside.notifications.models import Channel
from alongside.notifications.notify import CHANNEL, notify
from alongside.outcomes import messages
from alongside.outcomes.models import Instrument, Occasion, ProgramInstrument, Survey
from alongside.outcomes.scoring import AnswerError, score
from alongside.programs.models import Program

if TYPE_CHECKING:
    from alongside.matches.models import Match

OCCASION_FLAG = {
    Occasion.START: "at_start",
    Occasion.MILESTONE: "at_milestones",
    Occasion.CLOSURE: "at_closure",
}


def send_surveys(*, match: "Match", occasion: Occasion, month: int = 0) -> list[Survey]:
    """Create the program's questionnaires for this occasion and queue their links to the person,
    when their consent to surveys stands (none is sent to a person who never gave it, or who
    withdrew it).

    Safe to call twice: each (match, instrument, occasion, month) is sent once.
    """
    if consent_standing(match.request, Purpose.SURVEYS) != Standing.GIVEN:
        return []
    chosen = ProgramInstrument.objects.filter(
        Q(**{OCCASION_FLAG[occasion]: True}), program_id=match.program_id
    ).select_related("instrument")
    surveys = []
    for choice in chosen:
        survey, created = Survey.objects.get_or_create(
            match=match,
            instrument=choice.instrument,
            occasion=occasion,
            month=month,
            defaults={"program_id": match.program_id, "sent_at": timezone.now()},
        )
        if created:
            _queue_link(survey, match)
        surveys.append(survey)
    return surveys


def survey_link(survey: Survey) -> str:
    return f"{settings.SITE_URL}{reverse('outcomes:answer', args=[survey.token])}"


def _queue_link(survey: Survey, match: "Match") -> None:
    # The survey goes in the language the request was made in.
    peer = replace(peer_contact(match.request), language=match.request.language)
    notify(
        kind=messages.SURVEY_SENT,
        recipients=[peer],
        context={"link": survey_link(survey)},
        idempotency_key=("outcomes.survey.sent", survey.pk, CHANNEL),
        channels=[Channel.SMS, Channel.EMAIL],
        program=match.program,
    )


def surveys_withdrawn(survey: Survey) -> bool:
    """Whether the person withdrew their consent to surveys since this one was sent: its link
    no longer takes answers."""
    return consent_standing(survey.match.request, Purpose.SURVEYS) == Standing.WITHDRAWN


@transaction.atomic
def answer_survey(*, survey: Survey, answers: dict[str, int]) -> Survey:
    """Record the one answer a link allows, with its score by the instrument's rules; none
    once the person withdrew their consent to surveys."""
    if surveys_withdrawn(survey):
        raise DomainError(
            _("You asked us to stop sending you questionnaires, so this one is closed.")
        )
    instrument = survey.instrument
    try:
        total = score(instrument.item_list, instrument.rule, answers)
    except AnswerError as error:
        raise DomainError(_("Please answer every question.")) from error
    claimed = Survey.objects.filter(pk=survey.pk, answered_at__isnull=True).update(
        answered_at=timezone.now(), answers=answers, score=total
    )
    if not claimed:
        raise DomainError(_("These questions have already been answered. Thank you."))
    survey.refresh_from_db()
    record_event(actor=None, action="outcomes.survey.answered", target=survey)
    return survey


@dataclass(frozen=True)
class InstrumentChoice:
    at_start: bool
    at_milestones: bool
    at_closure: bool

    @property
    def is_used(self) -> bool:
        return self.at_start or self.at_milestones or self.at_closure


@transaction.atomic
def choose_instruments(
    *, program: Program, by: User, choices: dict[Instrument, InstrumentChoice]
) -> None:
    """Set which instruments the program sends, and when; an instrument sent never is removed."""
    for instrument, choice in choices.items():
        if choice.is_used:
            ProgramInstrument.objects.update_or_create(
                program=program,
                instrument=instrument,
                defaults={
                    "at_start": choice.at_start,
                    "at_milestones": choice.at_milestones,
                    "at_closure": choice.at_closure,
                },
            )
        else:
            ProgramInstrument.objects.filter(program=program, instrument=instrument).delete()
    record_event(
        actor=by,
        action="outcomes.instruments.chosen",
        target=program,
        data={
            instrument.slug: [choice.at_start, choice.at_milestones, choice.at_closure]
            for instrument, choice in choices.items()
        },
    )
