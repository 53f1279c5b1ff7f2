"""A program's supporters, written in bulk: accounts, roles, profiles, lived experiences, and the
records the readiness gate asks for (supporters/queries.py `readiness_of`).

Nine in ten are active and ready: every current step passed or signed, a cleared criminal record
check and every training completed within their validity. The rest are where the board and the
offboarding pages put people: applied, in screening part-way along, paused, or on a break.
"""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Model

from alongside.accounts.models import Membership, Role, User
from alongside.core.calendar import add_months
from alongside.demo.hcw import HCW_ROLES
from alongside.demo.province.programs import BC, HCW, ProvinceProgram
from alongside.demo.province.sizes import PROVINCE_DOMAIN
from alongside.demo.shared import Seeder
from alongside.programs.models import (
    ContactMethod,
    Gender,
    Language,
    PipelineStep,
    Relationship,
    StepKind,
    TrainingModule,
)
from alongside.supporters.models import (
    BackgroundCheck,
    CheckKind,
    CheckStatus,
    LivedExperience,
    StepOutcome,
    StepRecord,
    Supporter,
    SupporterStatus,
    TrainingRecord,
    WithdrawalReason,
)
from alongside.supporters.queries import IN_PIPELINE_STATUSES
from alongside.supporters.steps import place_again

BATCH = 2000
# Out of every fifty supporters: who is not active and ready, by their place in the fifty.
NOT_ACTIVE = {
    0: SupporterStatus.APPLIED,
    1: SupporterStatus.SCREENING,
    2: SupporterStatus.SCREENING,
    3: SupporterStatus.PAUSED,
    4: SupporterStatus.ON_BREAK,
}
# With a history, some have also left: the alumni and the withdrawn (history.py).
NOT_ACTIVE_WITH_HISTORY = {
    **NOT_ACTIVE,
    5: SupporterStatus.ALUMNI,
    6: SupporterStatus.ALUMNI,
    7: SupporterStatus.WITHDRAWN,
}
# Those who went through the whole pipeline, whatever their status now.
READY_STATUSES = (SupporterStatus.ACTIVE, SupporterStatus.PAUSED, SupporterStatus.ON_BREAK)
LEFT_STATUSES = (SupporterStatus.ALUMNI, SupporterStatus.WITHDRAWN)
# The main reason of each withdrawn one's written reason (below), as a coordinator chose it.
WITHDRAWAL_REASONS = {
    "Health changes; needs to focus on themself.": WithdrawalReason.OWN_HEALTH,
    "Moved away from the region.": WithdrawalReason.MOVED,
    "Not enough time with a new job.": WithdrawalReason.TIME,
    "Caring for a family member.": WithdrawalReason.TIME,
}
LEAVING_REASONS = {
    SupporterStatus.ALUMNI: (
        "Finished their commitment; happy to be asked again.",
        "Moved on to a paid role elsewhere.",
        "Finished their two years; will help with training.",
    ),
    SupporterStatus.WITHDRAWN: (
        "Health changes; needs to focus on themself.",
        "Moved away from the region.",
        "Not enough time with a new job.",
        "Caring for a family member.",
    ),
}
# With a history, how far back a supporter may have become ready (about eighteen months).
HISTORY_DAYS = 540


@dataclass
class Pipeline:
    """The program's current steps and trainings, read once."""

    steps: list[PipelineStep]
    modules: list[TrainingModule]

    @classmethod
    def of(cls, place: ProvinceProgram) -> "Pipeline":
        program = place.program
        return cls(
            steps=list(PipelineStep.objects.current().filter(program=program).order_by("order")),
            modules=list(TrainingModule.objects.current().filter(program=program)),
        )


@dataclass
class Supporters:
    """The supporters written for one program, and their lived experiences by supporter id."""

    rows: list[Supporter] = field(default_factory=list)
    lived: dict[int, list[tuple[int, str]]] = field(default_factory=dict)
    # With a history: the day each became ready (they may be matched from it on).
    ready_on: dict[int, dt.date] = field(default_factory=dict)

    @property
    def active(self) -> list[Supporter]:
        return [row for row in self.rows if row.status == SupporterStatus.ACTIVE]


def bulk[Row: Model](rows: Iterable[Row]) -> list[Row]:
    """Writes `rows` in batches the database takes; returns them with their ids."""
    listed = list(rows)
    if not listed:
        return listed
    manager = type(listed[0])._default_manager
    return manager.bulk_create(listed, batch_size=BATCH)


def add_supporters(
    seeder: Seeder, place: ProvinceProgram, count: int, *, history: bool = False
) -> Supporters:
    """`count` supporters of the program, with their accounts and supporter role; with a
    `history`, some have left, and the others joined over the last eighteen months."""
    program = place.program
    password = "!" + "province"  # unusable: supporters are invited to choose their own
    users: list[User] = []
    for number in range(1, count + 1):
        first_name, last_name = seeder.name(Language.ENGLISH)
        users.append(
            User(
                email=f"supporter{number}.p{place.number}@{PROVINCE_DOMAIN}",
                first_name=first_name,
                last_name=last_name,
                password=password,
                time_zone=program.time_zone,
            )
        )
    users = bulk(users)
    bulk(Membership(user=user, program=program, role=Role.SUPPORTER) for user in users)
    supporters = Supporters()
    statuses = NOT_ACTIVE_WITH_HISTORY if history else NOT_ACTIVE
    supporters.rows = bulk(
        _supporter(seeder, place, user, statuses.get(index % 50, SupporterStatus.ACTIVE))
        for index, user in enumerate(users)
    )
    _add_lived_experiences(seeder, place, supporters)
    if not history:  # with one, joined.py adds the records over time
        add_readiness_records(seeder, place, supporters.rows)
    return supporters


def _languages(seeder: Seeder, place: ProvinceProgram) -> list[str]:
    """English, and one in seven also another language the program offers."""
    offered = [str(code) for code in place.program.languages if code != Language.ENGLISH]
    if offered and seeder.rng.random() < 1 / 7:
        return [Language.ENGLISH, seeder.rng.choice(offered)]
    return [Language.ENGLISH]


def _methods(seeder: Seeder, place: ProvinceProgram) -> list[str]:
    """A phone call (every shape offers it) and some of the program's other ways."""
    others = [
        str(method) for method in place.program.contact_methods if method != ContactMethod.PHONE
    ]
    return [ContactMethod.PHONE, *seeder.rng.sample(others, seeder.rng.randint(0, len(others)))]


def _supporter(
    seeder: Seeder, place: ProvinceProgram, user: User, status: SupporterStatus
) -> Supporter:
    rng, program, today = seeder.rng, place.program, seeder.today
    site = rng.choice(place.sites) if place.sites else None
    starts_on = today - dt.timedelta(days=rng.randint(20, 330))
    in_pipeline = status not in READY_STATUSES
    return Supporter(
        program=program,
        user=user,
        site=site,
        status=status,
        is_paid=place.shape is BC,
        work_role=rng.choice(HCW_ROLES) if place.shape is HCW else "",
        languages=_languages(seeder, place),
        contact_methods=_methods(seeder, place),
        region=site.region if site else "",
        time_zone=program.time_zone,
        gender=rng.choice([Gender.WOMAN, Gender.WOMAN, Gender.MAN, ""]),
        birth_year=today.year - rng.randint(24, 68),
        max_concurrent_matches=rng.choice([1, 2, 2, 3]),
        expected_hours_per_month=Decimal(
            rng.choice([20, 30, 40, 60]) if place.shape is BC else rng.randint(1, 4)
        ),
        away_until=today + dt.timedelta(days=rng.randint(30, 90))
        if status == SupporterStatus.ON_BREAK
        else None,
        commitment_starts_on=None if in_pipeline else starts_on,
        commitment_ends_on=None
        if in_pipeline
        else add_months(starts_on, program.supporter_commitment_months),
        status_reason="Taking a few months off." if status == SupporterStatus.ON_BREAK else "",
        status_changed_at=seeder.now if status == SupporterStatus.ON_BREAK else None,
    )


def _add_lived_experiences(seeder: Seeder, place: ProvinceProgram, supporters: Supporters) -> None:
    """One or two of the program's experiences each, lived as its shape's supporters live them."""
    first, second = place.experiences[0], place.experiences[1]
    rows = []
    for supporter in supporters.rows:
        roll = seeder.rng.random()
        if place.shape is HCW:
            lived = [(first.pk, Relationship.COLLEAGUE)]
            lived += [(second.pk, Relationship.COLLEAGUE)] if roll < 0.33 else []
        else:
            relationship = Relationship.FAMILY if roll < 0.2 else Relationship.SELF
            lived = [(first.pk, relationship)]
            lived += [(second.pk, Relationship.SELF)] if roll > 0.85 else []
        supporters.lived[supporter.pk] = [(pk, str(kind)) for pk, kind in lived]
        rows += [
            LivedExperience(
                supporter=supporter,
                experience_id=experience_id,
                relationship=relationship,
                since=seeder.years_ago(2.5, 20),
            )
            for experience_id, relationship in lived
        ]
    bulk(rows)


def add_readiness_records(seeder: Seeder, place: ProvinceProgram, rows: list[Supporter]) -> None:
    """What each supporter's place in the pipeline says they have done, recorded by the
    program's coordinator: everything for those past the pipeline, part of it in screening."""
    pipeline = Pipeline.of(place)
    steps, checks, trainings = [], [], []
    for number, supporter in enumerate(rows):
        if supporter.status in READY_STATUSES:
            # Done within the shortest training's validity, so nothing has expired.
            on = seeder.today - dt.timedelta(days=seeder.rng.randint(20, 300))
            steps += steps_done(place, pipeline.steps, supporter, on, every=True)
            checks.append(check_done(place, supporter, on, CheckStatus.CLEARED))
            trainings += _trainings(place, pipeline.modules, supporter, on)
        elif supporter.status == SupporterStatus.SCREENING:
            on = seeder.today - dt.timedelta(days=seeder.rng.randint(3, 40))
            steps += steps_done(place, pipeline.steps, supporter, on, every=number % 2 == 0)
            if number % 2 == 0:
                checks.append(check_done(place, supporter, on, CheckStatus.REQUESTED))
    bulk(steps)
    bulk(checks)
    bulk(trainings)
    place_on_their_way(rows)


def place_on_their_way(rows: list[Supporter]) -> None:
    """Those on their way at their step, since the last thing recorded for them (the records
    were written in bulk, past the services that place them as they record)."""
    waiting = [row.pk for row in rows if row.status in IN_PIPELINE_STATUSES]
    place_again(waiting, as_recorded=True)


def moment(place: ProvinceProgram, on: dt.date) -> dt.datetime:
    return dt.datetime.combine(on, dt.time(10), tzinfo=place.program.calendar.zone)


def steps_done(
    place: ProvinceProgram,
    steps: list[PipelineStep],
    supporter: Supporter,
    on: dt.date,
    *,
    every: bool,
) -> list[StepRecord]:
    """Every step met by a record (not the check or the trainings), or only the first ones of
    screening: the call, then the interview and references."""
    kinds = (
        {StepKind.SCREENING_CALL, StepKind.INTERVIEW, StepKind.REFERENCES, StepKind.AGREEMENT}
        if every
        else {StepKind.SCREENING_CALL}
    )
    return [
        StepRecord(
            supporter=supporter,
            step=step,
            outcome=StepOutcome.PASSED,
            recorded_by=place.coordinator,
            recorded_at=moment(place, on),
        )
        for step in steps
        if step.kind in kinds
    ]


def check_done(
    place: ProvinceProgram, supporter: Supporter, on: dt.date, status: CheckStatus
) -> BackgroundCheck:
    cleared = status == CheckStatus.CLEARED
    return BackgroundCheck(
        supporter=supporter,
        kind=CheckKind.CRIMINAL_RECORD if cleared else CheckKind.VULNERABLE_SECTOR,
        status=status,
        requested_on=on - dt.timedelta(days=30),
        cleared_on=on if cleared else None,
        expires_on=add_months(on, 36) if cleared else None,
        recorded_by=place.coordinator,
        recorded_at=moment(place, on),
    )


def _trainings(
    place: ProvinceProgram, modules: list[TrainingModule], supporter: Supporter, on: dt.date
) -> list[TrainingRecord]:
    return [
        TrainingRecord(
            supporter=supporter,
            module=module,
            completed_on=on,
            expires_on=add_months(on, module.validity_months) if module.validity_months else None,
            recorded_by=place.coordinator,
            recorded_at=moment(place, on),
        )
        for module in modules
    ]
