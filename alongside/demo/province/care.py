"""With a history: what surrounds the matches — the questionnaires at start and closure (some
never answered), the escalations and how fast they were acknowledged, and the supporters'
wellbeing check-ins and debrief requests (a few of them signs of burning out).

Scores are the instrument's own (outcomes/scoring.py `score`); people mostly feel better at
closure than at the start.
"""

import datetime as dt

from alongside.demo.province.programs import ProvinceProgram
from alongside.demo.province.supporters import bulk
from alongside.demo.shared import Seeder
from alongside.matches.models import Match
from alongside.outcomes.models import Instrument, Occasion, ProgramInstrument, Survey
from alongside.outcomes.scoring import InstrumentShape, score
from alongside.outcomes.seed import seed_instruments
from alongside.outcomes.services import InstrumentChoice, choose_instruments
from alongside.safety.models import Escalation, EscalationStatus, Urgency
from alongside.supporters.models import (
    DebriefRequest,
    Supporter,
    SupporterStatus,
    WellbeingCheckIn,
)

BATCH = 1000
ANSWERED_AT_START, ANSWERED_AT_CLOSURE = 0.8, 0.6
ESCALATED = 0.04  # of matches
WHAT_HAPPENED = {
    Urgency.URGENT: "They talked about not wanting to be here any more.",
    Urgency.BEYOND_ROLE: "They asked for help with housing forms; beyond what I can do.",
}


def add_care(seeder: Seeder, place: ProvinceProgram) -> None:
    """Questionnaires, escalations, wellbeing check-ins and debriefs of one program."""
    _choose_instruments(place)
    matches = list(
        Match.objects.filter(program=place.program).only(
            "pk", "program_id", "supporter_id", "started_at", "closed_at", "closure_reason"
        )
    )
    _add_surveys(seeder, place, matches)
    _add_escalations(seeder, place, matches)
    _add_wellbeing(seeder, place)


def _choose_instruments(place: ProvinceProgram) -> None:
    """Loneliness and wellbeing at start and closure, satisfaction at closure (the demo's)."""
    seed_instruments(Instrument)
    choose_instruments(
        program=place.program,
        by=place.coordinator,
        choices={
            Instrument.objects.get(slug=slug): InstrumentChoice(
                at_start=at_start, at_milestones=False, at_closure=True
            )
            for slug, at_start in (
                ("loneliness-3", True),
                ("wellbeing-short", True),
                ("satisfaction", False),
            )
        },
    )


def _answers(shape: InstrumentShape, level: float) -> dict[str, int]:
    """Answers of someone doing `level` well (0 to 1) on the instrument's items."""
    rule = shape.scoring
    answers = {}
    for item in shape.items:
        values = sorted(choice.value for choice in item.choices)
        good_is_high = rule.higher_is_better != (item.key in rule.reverse_items)
        index = round(level * (len(values) - 1))
        answers[item.key] = values[index] if good_is_high else values[-1 - index]
    return answers


def _survey(
    seeder: Seeder,
    match: Match,
    chosen: Instrument,
    shape: InstrumentShape,
    occasion: Occasion,
    level: float,
) -> Survey:
    sent_at = match.started_at if occasion == Occasion.START else match.closed_at
    assert sent_at is not None
    answered = seeder.rng.random() < (
        ANSWERED_AT_START if occasion == Occasion.START else ANSWERED_AT_CLOSURE
    )
    answers = _answers(shape, level) if answered else {}
    answered_at = sent_at + dt.timedelta(hours=seeder.rng.uniform(1, 96))
    return Survey(
        program_id=match.program_id,
        match=match,
        instrument=chosen,
        occasion=occasion,
        sent_at=sent_at + dt.timedelta(minutes=5),
        answered_at=min(answered_at, seeder.now) if answered else None,
        answers=answers,
        score=score(shape.items, shape.scoring, answers) if answered else None,
    )


def _add_surveys(seeder: Seeder, place: ProvinceProgram, matches: list[Match]) -> None:
    chosen = list(
        ProgramInstrument.objects.filter(program=place.program).select_related("instrument")
    )
    shapes = {choice.instrument_id: choice.instrument.shape for choice in chosen}  # read once
    rows = []
    for match in matches:
        start = seeder.rng.uniform(0.1, 0.6)
        end = min(1.0, max(0.0, start + seeder.rng.uniform(-0.15, 0.45)))
        for choice in chosen:
            shape = shapes[choice.instrument_id]
            if choice.at_start:
                rows.append(_survey(seeder, match, choice.instrument, shape, Occasion.START, start))
            if choice.at_closure and match.closed_at is not None:
                rows.append(_survey(seeder, match, choice.instrument, shape, Occasion.CLOSURE, end))
        if len(rows) >= BATCH:
            bulk(rows)
            rows = []
    bulk(rows)


def _add_escalations(seeder: Seeder, place: ProvinceProgram, matches: list[Match]) -> None:
    """A few matches raised one: urgent ones acknowledged in minutes, others within a day or
    two; all but the last days' resolved. The newest still wait, beyond the role only (an
    urgent one waiting would be moving up the rota)."""
    rng, coordinator = seeder.rng, place.coordinator
    users = dict(Supporter.objects.filter(program=place.program).values_list("pk", "user_id"))
    rows = []
    for match in rng.sample(matches, round(len(matches) * ESCALATED)):
        end = match.closed_at or seeder.now
        raised = match.started_at + (end - match.started_at) * rng.uniform(0.05, 0.95)
        urgency = Urgency.URGENT if rng.random() < 0.25 else Urgency.BEYOND_ROLE
        hours = rng.uniform(0.05, 0.75) if urgency == Urgency.URGENT else rng.uniform(1, 40)
        hours *= 4 if rng.random() < 0.1 else 1  # some slow
        acknowledged = raised + dt.timedelta(hours=hours)
        resolved = acknowledged + dt.timedelta(hours=rng.uniform(2, 120))
        waiting = seeder.now - raised < dt.timedelta(days=2)
        if acknowledged > seeder.now or (
            waiting and urgency == Urgency.BEYOND_ROLE and rng.random() < 0.5
        ):
            status = EscalationStatus.RAISED if urgency == Urgency.BEYOND_ROLE else None
        elif resolved > seeder.now:
            status = EscalationStatus.ACKNOWLEDGED
        else:
            status = EscalationStatus.RESOLVED
        if status is None:
            continue
        rows.append(
            Escalation(
                program=place.program,
                match=match,
                raised_by_id=users[match.supporter_id],
                urgency=urgency,
                what_happened=WHAT_HAPPENED[urgency],
                status=status,
                assigned_to=coordinator,
                acknowledged_by=None if status == EscalationStatus.RAISED else coordinator,
                acknowledged_at=None if status == EscalationStatus.RAISED else acknowledged,
                resolved_by=coordinator if status == EscalationStatus.RESOLVED else None,
                resolved_at=resolved if status == EscalationStatus.RESOLVED else None,
                outcome="Talked it through; referred on."
                if status == EscalationStatus.RESOLVED
                else "",
            )
        )
        rows[-1].created_at = raised
    raised_at = [row.created_at for row in rows]
    made = bulk(rows)
    # `created_at` is set on creation (auto_now_add): the moment each was raised goes in after.
    for row, moment in zip(made, raised_at, strict=True):
        row.created_at = moment
    Escalation.objects.bulk_update(made, ["created_at"], batch_size=BATCH)


def _add_wellbeing(seeder: Seeder, place: ProvinceProgram) -> None:
    """Four in ten active supporters checked in lately, one in twenty of them struggling or
    sliding; three in a hundred asked for a debrief, a few not answered yet."""
    rng, now = seeder.rng, seeder.now
    active = list(
        Supporter.objects.filter(program=place.program, status=SupporterStatus.ACTIVE).values_list(
            "pk", flat=True
        )
    )
    checkins, debriefs = [], []
    for supporter_id in active:
        if rng.random() < 0.4:
            low = rng.random() < 0.05
            scores = rng.choice(([4, 3, 2], [3, 2, 1], [2])) if low else [rng.randint(3, 5)]
            days = sorted(rng.sample(range(1, 150), len(scores)), reverse=True)
            checkins += [
                WellbeingCheckIn(
                    supporter_id=supporter_id,
                    score=value,
                    created_at=now - dt.timedelta(days=day),
                )
                for value, day in zip(scores, days, strict=True)
            ]
        if rng.random() < 0.03:
            asked = now - dt.timedelta(days=rng.uniform(0.1, 200))
            answered = asked + dt.timedelta(hours=rng.uniform(1, 48))
            is_answered = answered < now and rng.random() < 0.9
            debriefs.append(
                DebriefRequest(
                    supporter_id=supporter_id,
                    note="A hard call last night.",
                    requested_at=asked,
                    answered_by=place.coordinator if is_answered else None,
                    answered_at=answered if is_answered else None,
                )
            )
    bulk(checkins)
    bulk(debriefs)
