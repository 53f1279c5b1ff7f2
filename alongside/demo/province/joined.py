"""With a history: when each supporter applied, went through the pipeline and (for some) left.

Those past the pipeline became ready on a day of the last eighteen months, and kept their
trainings current since (a renewal before each expiry), so they could be matched from that day
on. Those in screening stopped part-way along the program's steps, in order. The alumni and the
withdrawn were ready once and left on a later day, with a reason.
"""

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator

from alongside.core.calendar import add_months
from alongside.demo.province.programs import ProvinceProgram
from alongside.demo.province.supporters import (
    HISTORY_DAYS,
    LEAVING_REASONS,
    LEFT_STATUSES,
    READY_STATUSES,
    WITHDRAWAL_REASONS,
    Pipeline,
    bulk,
    check_done,
    moment,
    place_on_their_way,
    steps_done,
)
from alongside.demo.shared import Seeder
from alongside.programs.models import PipelineStep, StepKind, TrainingModule
from alongside.supporters.models import (
    BackgroundCheck,
    CheckStatus,
    StepOutcome,
    StepRecord,
    Supporter,
    SupporterStatus,
    TrainingRecord,
)


def add_records_over_time(
    seeder: Seeder, place: ProvinceProgram, rows: list[Supporter]
) -> dict[int, dt.date]:
    """Each supporter's records as of their place in the pipeline; returns the day each one
    past it became ready."""
    pipeline = Pipeline.of(place)
    ready_on: dict[int, dt.date] = {}
    steps: list[StepRecord] = []
    checks: list[BackgroundCheck] = []
    trainings: list[TrainingRecord] = []
    for supporter in rows:
        if supporter.status in READY_STATUSES or supporter.status in LEFT_STATUSES:
            on = _became_ready(seeder, supporter)
            ready_on[supporter.pk] = on
            steps += steps_done(place, pipeline.steps, supporter, on, every=True)
            checks.append(check_done(place, supporter, on, CheckStatus.CLEARED))
            kept = supporter.status not in LEFT_STATUSES
            for module in pipeline.modules:
                trainings += _kept_current(seeder, place, module, supporter, on, kept=kept)
            supporter.created_at = moment(place, on - dt.timedelta(days=seeder.rng.randint(20, 70)))
        elif supporter.status == SupporterStatus.SCREENING:
            applied_on = seeder.today - dt.timedelta(days=seeder.rng.randint(10, 90))
            supporter.created_at = moment(place, applied_on)
            done = _part_way(seeder, place, pipeline, supporter, applied_on)
            steps += [row for row in done if isinstance(row, StepRecord)]
            checks += [row for row in done if isinstance(row, BackgroundCheck)]
            trainings += [row for row in done if isinstance(row, TrainingRecord)]
        else:
            supporter.created_at = moment(
                place, seeder.today - dt.timedelta(days=seeder.rng.randint(0, 20))
            )
    bulk(steps)
    bulk(checks)
    bulk(trainings)
    _write_dates(rows)
    place_on_their_way(rows)
    return ready_on


def _write_dates(rows: list[Supporter]) -> None:
    """When each joined (`created_at` is set on creation: one update a day), and when and why
    those who left did (one update each: they are few). Cheaper than a bulk_update's CASE over
    every row, which encrypts every reason again."""
    joined_on: dict[dt.datetime, list[int]] = defaultdict(list)
    for supporter in rows:
        joined_on[supporter.created_at].append(supporter.pk)
    for day, ids in joined_on.items():
        Supporter.objects.filter(pk__in=ids).update(created_at=day)
    for supporter in rows:
        if supporter.status in LEFT_STATUSES:
            Supporter.objects.filter(pk=supporter.pk).update(
                status_changed_at=supporter.status_changed_at,
                status_reason=supporter.status_reason,
                withdrawal_reason=supporter.withdrawal_reason,
                commitment_ends_on=supporter.commitment_ends_on,
            )


def _became_ready(seeder: Seeder, supporter: Supporter) -> dt.date:
    """The day they became ready; for those who left, also when and why they left."""
    rng, today = seeder.rng, seeder.today
    if supporter.status not in LEFT_STATUSES:
        return today - dt.timedelta(days=rng.randint(20, HISTORY_DAYS))
    on = today - dt.timedelta(days=rng.randint(200, HISTORY_DAYS))
    left_on = on + dt.timedelta(days=rng.randint(90, (today - on).days - 14))
    supporter.status_changed_at = dt.datetime.combine(
        left_on, dt.time(16), tzinfo=supporter.program.calendar.zone
    )
    supporter.status_reason = rng.choice(LEAVING_REASONS[SupporterStatus(supporter.status)])
    supporter.withdrawal_reason = WITHDRAWAL_REASONS.get(supporter.status_reason, "")
    if supporter.status == SupporterStatus.ALUMNI:
        supporter.commitment_ends_on = left_on
    return on


def _kept_current(
    seeder: Seeder,
    place: ProvinceProgram,
    module: TrainingModule,
    supporter: Supporter,
    on: dt.date,
    *,
    kept: bool,
) -> Iterator[TrainingRecord]:
    """The training done on `on`, and (when `kept`) each renewal some weeks before the last one
    expired, until one holds past today."""
    completed_on = on
    while True:
        expires_on = (
            add_months(completed_on, module.validity_months) if module.validity_months else None
        )
        yield TrainingRecord(
            supporter=supporter,
            module=module,
            completed_on=completed_on,
            expires_on=expires_on,
            recorded_by=place.coordinator,
            recorded_at=moment(place, completed_on),
        )
        if not kept or expires_on is None or expires_on > seeder.today + dt.timedelta(days=30):
            return
        completed_on = expires_on - dt.timedelta(days=seeder.rng.randint(10, 45))


def _part_way(
    seeder: Seeder,
    place: ProvinceProgram,
    pipeline: Pipeline,
    supporter: Supporter,
    applied_on: dt.date,
) -> list[StepRecord | BackgroundCheck | TrainingRecord]:
    """The program's first few steps passed in order, a week or two apart; never the last."""
    passed = seeder.rng.randint(0, len(pipeline.steps) - 1)
    day, done = applied_on, []
    for step in pipeline.steps[:passed]:
        day = min(day + dt.timedelta(days=seeder.rng.randint(3, 14)), seeder.today)
        done += _step_done(place, pipeline, step, supporter, day)
    return done


def _step_done(
    place: ProvinceProgram,
    pipeline: Pipeline,
    step: PipelineStep,
    supporter: Supporter,
    day: dt.date,
) -> list[StepRecord | BackgroundCheck | TrainingRecord]:
    if step.kind == StepKind.BACKGROUND_CHECK:
        return [check_done(place, supporter, day, CheckStatus.CLEARED)]
    if step.kind == StepKind.TRAINING:
        return [
            TrainingRecord(
                supporter=supporter,
                module=module,
                completed_on=day,
                expires_on=add_months(day, module.validity_months)
                if module.validity_months
                else None,
                recorded_by=place.coordinator,
                recorded_at=moment(place, day),
            )
            for module in pipeline.modules
        ]
    return [
        StepRecord(
            supporter=supporter,
            step=step,
            outcome=StepOutcome.PASSED,
            recorded_by=place.coordinator,
            recorded_at=moment(place, day),
        )
    ]
