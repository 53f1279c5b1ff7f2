"""What every demo program gets once its people are in: the supporter pipeline, the on-call rota,
outcome instruments, matches with contacts, goals, hours, resources and check-in meetings.

All of it goes through the services. One step is the demo's own: last month's check-in meeting
is scheduled and its invitations sent while it is still ahead (the groups services refuse a
session in the past), then dated back three weeks (`_date_session_back`) so its attendance can
be taken, as the coordinator would have done after it.
"""

import datetime as dt
import uuid
from collections.abc import Sequence
from decimal import Decimal

from alongside.accounts.models import Role, User
from alongside.core.calendar import add_months
from alongside.demo.people import add_match
from alongside.demo.shared import TOKEN_NAMESPACE, ProgramSummary, Seeder
from alongside.groups.models import Attendance, GroupSession, SessionKind
from alongside.groups.services import (
    answer_invitation,
    invite_supporters,
    record_attendance,
    schedule_session,
)
from alongside.intake.models import SupportRequest
from alongside.matches.hours import confirm_hours_report, open_monthly_report, report_month
from alongside.matches.models import HoursReport
from alongside.matches.services.goals import add_goal, update_goal
from alongside.outcomes.models import Instrument
from alongside.outcomes.seed import seed_instruments
from alongside.outcomes.services import InstrumentChoice, choose_instruments
from alongside.programs.models import Experience, Program, Relationship, StepKind
from alongside.resources.services import save_resource
from alongside.safety.models import ShiftOrder
from alongside.safety.services.on_call import add_on_call_shift, set_mobile_phone
from alongside.supporters.models import (
    CheckKind,
    CheckStatus,
    StepOutcome,
    Supporter,
    SupporterStatus,
)
from alongside.supporters.services.applications import ApplicantAnswers, submit_application
from alongside.supporters.services.pipeline import (
    create_default_pipeline,
    record_background_check,
    record_step,
    record_training,
)


def finish_program(
    seeder: Seeder,
    program: Program,
    summary: ProgramSummary,
    requests: Sequence[SupportRequest],
    coordinator: User,
    *,
    notes: Sequence[str],
    to_match: Sequence[int],
    fixed: dict[int, Supporter] | None = None,
) -> None:
    """The rota, matches and the life around them, once supporters and requests are in (the
    instruments are chosen before the requests, whose forms then ask consent to them); counts
    what was made in `summary`."""
    add_on_call_rota(seeder, program, coordinator)
    summary.supporters = program.supporters.count()
    summary.requests = len(requests)
    for index in to_match:
        made = add_match(
            seeder, requests[index], coordinator, notes=notes, supporter=(fixed or {}).get(index)
        )
        if made is not None:
            summary.matches += 1
            summary.contacts += made[1]
    add_resources(seeder, program, coordinator)
    add_goals(seeder, program)
    add_hours_reports(seeder, program)
    add_check_in_meetings(seeder, program, coordinator)


def add_on_call_rota(seeder: Seeder, program: Program, coordinator: User) -> None:
    """Two weeks of on-call days for the program's coordinator, with its administrators as backup.

    Each shift runs from 08:00 to 08:00 the next day in the program's time zone, so the rota
    crosses daylight-saving changes the way people read it. The coordinator gets a mobile
    phone for urgent texts (a 555 number; the demo's SMS backend only logs).
    """
    backups = list(
        User.objects.filter(
            memberships__program=program, memberships__role=Role.ADMINISTRATOR
        ).exclude(pk=coordinator.pk)
    )
    zone = program.calendar.zone
    first_day = seeder.now.astimezone(zone).date() - dt.timedelta(days=1)
    for offset in range(15):
        day = first_day + dt.timedelta(days=offset)
        starts = dt.datetime.combine(day, dt.time(8), tzinfo=zone)
        ends = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(8), tzinfo=zone)
        on_call = [(coordinator, ShiftOrder.PRIMARY)] + [(b, ShiftOrder.BACKUP) for b in backups]
        for user, order in on_call:
            add_on_call_shift(
                program=program,
                user=user,
                starts_at=starts,
                ends_at=ends,
                order=order,
                actor=coordinator,
            )
    if not hasattr(coordinator, "safety_contact"):
        set_mobile_phone(
            user=coordinator, mobile_phone=f"+1416555{seeder.rng.randint(100, 199):04d}"
        )


def add_supporter_pipeline(
    seeder: Seeder, program: Program, coordinator: User, *, experience: Experience
) -> None:
    """The default steps and trainings; active supporters ready (one's training expires soon),
    those in screening part-way along, and an application kept with the rule it did not meet."""
    create_default_pipeline(program=program, created_by=coordinator)
    in_pipeline = (SupporterStatus.APPLIED, SupporterStatus.SCREENING)
    for index, supporter in enumerate(
        program.supporters.exclude(status__in=in_pipeline).order_by("pk")
    ):
        # The first one did their trainings almost a year ago: a reminder is due.
        make_ready(
            supporter,
            coordinator,
            on=seeder.today - dt.timedelta(days=350 if index == 0 else 120),
        )
    steps = {step.kind: step for step in program.pipeline_steps.all()}
    for index, supporter in enumerate(program.supporters.filter(status__in=in_pipeline)):
        record_step(
            supporter=supporter,
            step=steps[StepKind.SCREENING_CALL],
            outcome=StepOutcome.PASSED,
            notes="Warm call; keen to start.",
            by=coordinator,
        )
        if index % 2 == 0:
            for kind in (StepKind.INTERVIEW, StepKind.REFERENCES):
                record_step(
                    supporter=supporter,
                    step=steps[kind],
                    outcome=StepOutcome.PASSED,
                    notes="",
                    by=coordinator,
                )
            record_background_check(
                supporter=supporter,
                kind=CheckKind.VULNERABLE_SECTOR,
                status=CheckStatus.REQUESTED,
                requested_on=seeder.today - dt.timedelta(days=6),
                by=coordinator,
            )
    add_ineligible_application(seeder, program, experience=experience)


def make_ready(supporter: Supporter, coordinator: User, *, on: dt.date) -> None:
    """Every step passed, a criminal record check cleared and every training done, as of
    `on`, recorded by the coordinator through the pipeline services."""
    for step in supporter.program.pipeline_steps.all():
        if step.kind == StepKind.BACKGROUND_CHECK:
            record_background_check(
                supporter=supporter,
                kind=CheckKind.CRIMINAL_RECORD,
                status=CheckStatus.CLEARED,
                requested_on=on - dt.timedelta(days=30),
                cleared_on=on,
                expires_on=add_months(on, 36),
                by=coordinator,
            )
        elif step.kind != StepKind.TRAINING:
            record_step(
                supporter=supporter,
                step=step,
                outcome=StepOutcome.PASSED,
                notes="",
                by=coordinator,
            )
    for module in supporter.program.training_modules.all():
        record_training(supporter=supporter, module=module, completed_on=on, by=coordinator)


def add_ineligible_application(seeder: Seeder, program: Program, *, experience: Experience) -> None:
    """An application kept with the rule it did not meet (diagnosed too recently)."""
    first, last = seeder.name("en")
    submit_application(
        program=program,
        submission_token=uuid.uuid5(TOKEN_NAMESPACE, f"{program.slug}:application:1"),
        answers=ApplicantAnswers(
            first_name=first,
            last_name=last,
            email=seeder.email(first, last),
            date_of_birth=seeder.today - dt.timedelta(days=365 * 40),
            experience=experience,
            relationship=Relationship.SELF,
            experience_since=seeder.today - dt.timedelta(days=200),
            experience_details="Diagnosed this spring; I would love to help others one day.",
            self_assessed=True,
        ),
        consent=True,
    )


def choose_demo_instruments(program: Program, coordinator: User) -> None:
    """The loneliness and wellbeing scales at start, milestones and closure, satisfaction at
    closure."""
    seed_instruments(Instrument)
    choose_instruments(
        program=program,
        by=coordinator,
        choices={
            Instrument.objects.get(slug=slug): InstrumentChoice(
                at_start=at_start, at_milestones=at_start, at_closure=True
            )
            for slug, at_start in (
                ("loneliness-3", True),
                ("wellbeing-short", True),
                ("satisfaction", False),
            )
        },
    )


DEMO_RESOURCES: tuple[tuple[str, str, str, list[str]], ...] = (
    (
        "Community counselling centre",
        "Short-term counselling, free.",
        "mental_health",
        ["en", "fr"],
    ),
    ("Food bank", "Groceries once a week; no questions asked.", "food", ["en"]),
    ("Legal aid clinic", "Free advice on housing, work and benefits.", "legal", ["en", "fr"]),
    ("Crisis line", "Talk or text any time, day or night.", "crisis", ["en", "fr", "zh", "pa"]),
)


# The same resources in French, for a program that offers it: (name, what it offers).
FRENCH_RESOURCES = {
    "Community counselling centre": (
        "Centre de counseling communautaire",
        "Counseling de courte durée, gratuit.",
    ),
    "Food bank": ("Banque alimentaire", "De l'épicerie une fois par semaine, sans questions."),
    "Legal aid clinic": (
        "Clinique d'aide juridique",
        "Conseils gratuits sur le logement, le travail et les prestations.",
    ),
    "Crisis line": ("Ligne de crise", "Parlez ou textez en tout temps, jour et nuit."),
}


def add_resources(seeder: Seeder, program: Program, coordinator: User) -> None:
    """The community resources the coordinator keeps in the program's directory, in French
    too when the program offers it."""
    region = program.subdivision or program.country
    french = "fr" in program.content_languages()[1:]
    for name, offers, category, languages in DEMO_RESOURCES:
        french_name, french_offers = FRENCH_RESOURCES[name]
        save_resource(
            translations={"fr": {"name": french_name, "offers": french_offers}} if french else {},
            program=program,
            by=coordinator,
            name=name,
            offers=offers,
            category=category,
            region=region,
            languages=[code for code in languages if code in program.languages] or ["en"],
            last_reviewed_on=seeder.today - dt.timedelta(days=seeder.rng.randint(10, 200)),
        )


def add_goals(seeder: Seeder, program: Program) -> None:
    """Two goals on each open match of a goal-based program, the first with a note."""
    if not program.is_goal_based:
        return
    for match in program.matches.open().select_related("supporter__user"):
        for description in ("Get back to a weekly routine", "Reconnect with one friend"):
            add_goal(
                match=match,
                by=match.supporter.user,
                description=description,
                review_on=seeder.today + dt.timedelta(days=28),
            )
        first = match.goals.first()
        if first is not None:
            update_goal(
                goal=first,
                by=match.supporter.user,
                note="Two weeks in a row now.",
                status=first.status,
                review_on=first.review_on,
            )


def add_hours_reports(seeder: Seeder, program: Program) -> None:
    """Last month's hours reports of supporters with open matches, opened as the month-end job
    does; some confirmed by their supporter, the others still missing for the coordinator's
    follow-up queue."""
    month = report_month(program, seeder.now)
    open_matches = program.matches.open().select_related("supporter__user")
    supporters = {match.supporter for match in open_matches}
    for number, supporter in enumerate(sorted(supporters, key=lambda one: one.pk)):
        open_monthly_report(supporter.pk, seeder.now)
        minutes = seeder.rng.choice([90, 150, 210])
        contacts = seeder.rng.randint(2, 5)
        if number % 2 == 0:  # the others wait in the coordinator's follow-up queue
            confirm_hours_report(
                report=HoursReport.objects.get(supporter=supporter, month=month),
                by=supporter.user,
                hours=Decimal(minutes) / 60,
                contacts=contacts,
                anything_to_know="",
            )


def add_check_in_meetings(seeder: Seeder, program: Program, coordinator: User) -> None:
    """Last month's supporter check-in meeting with its attendance taken, and next one's with
    every active supporter invited (the first of them has said they will come)."""
    if not program.supporters.filter(status=SupporterStatus.ACTIVE).exists():
        return
    zone = program.calendar.zone
    evening = dt.time(18, 30)
    past = _check_in(seeder, program, coordinator, starts_on=seeder.today + dt.timedelta(days=1))
    invited = invite_supporters(session=past, by=coordinator)
    past = _date_session_back(
        past,
        invited,
        starts_at=dt.datetime.combine(seeder.today - dt.timedelta(days=21), evening, tzinfo=zone),
    )
    record_attendance(
        session=past,
        by=coordinator,
        attended={attendance.pk: number % 3 != 2 for number, attendance in enumerate(invited)},
    )
    upcoming = _check_in(
        seeder, program, coordinator, starts_on=seeder.today + dt.timedelta(days=9)
    )
    invited = invite_supporters(session=upcoming, by=coordinator)
    answer_invitation(attendance=invited[0], by=invited[0].supporter.user, coming=True)


def _check_in(
    seeder: Seeder, program: Program, coordinator: User, *, starts_on: dt.date
) -> GroupSession:
    return schedule_session(
        program=program,
        by=coordinator,
        kind=SessionKind.CHECK_IN,
        title="Monthly supporter check-in",
        starts_at=dt.datetime.combine(starts_on, dt.time(18, 30), tzinfo=program.calendar.zone),
        length_minutes=60,
        place="",
        video_link="https://meet.example.org/supporter-check-in",
        capacity=None,
        notes="Bring one thing that went well this month, and one thing that was hard.",
    )


def _date_session_back(
    session: GroupSession, invited: list[Attendance], *, starts_at: dt.datetime
) -> GroupSession:
    """The demo's own step (see the module's docstring): the session was held at `starts_at`,
    its invitations sent ten days before."""
    GroupSession.objects.filter(pk=session.pk).update(
        starts_at=starts_at, created_at=starts_at - dt.timedelta(days=14)
    )
    Attendance.objects.filter(pk__in=[one.pk for one in invited]).update(
        invited_at=starts_at - dt.timedelta(days=10)
    )
    session.refresh_from_db()
    return session
