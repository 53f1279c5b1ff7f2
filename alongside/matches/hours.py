"""Monthly hours: each supporter confirms a report pre-filled from the contacts they logged."""

import datetime as dt
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal

from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from alongside.accounts.models import User
from alongside.core.audit import audit_event, record_event, record_events
from alongside.core.calendar import add_months
from alongside.core.errors import DomainError
from alongside.core.lazy_text import dated
from alongside.matches import messages
from alongside.matches.models import ContactLog, HoursReport
from alongside.notifications.models import Channel
from alongside.notifications.notify import CHANNEL, Notice, notify_all
from alongside.programs.models import Program
from alongside.supporters.models import Supporter

# Days after the month's end on which a missing report is reminded of.
REMINDER_DAYS = (3, 7)


def first_of_previous_month(day: dt.date) -> dt.date:
    return add_months(day.replace(day=1), -1)


def first_of_next_month(day: dt.date) -> dt.date:
    return add_months(day.replace(day=1), 1)


def month_bounds(program: Program, month: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """The month's first and next month's first midnight, in the program's zone."""
    zone = program.calendar.zone
    start = dt.datetime.combine(month, dt.time(0), tzinfo=zone)
    end = dt.datetime.combine(first_of_next_month(month), dt.time(0), tzinfo=zone)
    return start, end


@dataclass(frozen=True)
class Prefill:
    minutes: int
    contacts: int
    methods: dict[str, int]


def prefill_for(supporter: Supporter, month: dt.date) -> Prefill:
    """What the supporter logged on their matches in that month: minutes, contacts, methods."""
    start, end = month_bounds(supporter.program, month)
    contacts = ContactLog.objects.filter(
        match__supporter=supporter, was_made=True, occurred_at__gte=start, occurred_at__lt=end
    ).values_list("minutes", "method")
    methods: Counter[str] = Counter()
    minutes = 0
    for contact_minutes, method in contacts:
        minutes += contact_minutes
        methods[method] += 1
    return Prefill(minutes=minutes, contacts=sum(methods.values()), methods=dict(methods))


def report_month(program: Program, now: dt.datetime) -> dt.date:
    """The month whose hours are asked for at `now`: the last one ended in the program's zone."""
    return first_of_previous_month(program.calendar.today(now))


def supporters_due_a_report(now: dt.datetime) -> QuerySet[Supporter]:
    """Supporters of active programs with a match open in the month just ended and no report.

    One query: the month ends at a different moment in each program's zone.
    """
    owed = Q(pk__in=[])
    for program in Program.objects.filter(is_active=True):
        month = report_month(program, now)
        start, end = month_bounds(program, month)
        reported = HoursReport.objects.filter(supporter=OuterRef("pk"), month=month)
        owed |= (
            Q(program=program, matches__started_at__lt=end)
            & (Q(matches__closed_at__isnull=True) | Q(matches__closed_at__gte=start))
            & ~Q(Exists(reported))
        )
    return Supporter.objects.filter(owed).distinct().order_by("pk")


def open_monthly_report(supporter_id: int, now: dt.datetime) -> int:
    """At the month's end in the program's zone, ask one supporter for their hours.

    Creates the month's report, pre-filled, and tells them; returns 1 if it did. Safe to run
    twice.
    """
    supporter = Supporter.objects.select_related("user", "program").get(pk=supporter_id)
    program = supporter.program
    return _open_report(program, supporter, report_month(program, now))


@transaction.atomic
def _open_report(program: Program, supporter: Supporter, month: dt.date) -> int:
    prefill = prefill_for(supporter, month)
    report, created = HoursReport.objects.get_or_create(
        supporter=supporter,
        month=month,
        defaults={
            "program": program,
            "logged_minutes": prefill.minutes,
            "logged_contacts": prefill.contacts,
            "logged_methods": prefill.methods,
        },
    )
    if not created:
        return 0
    record_event(actor=None, action="matches.hours_report.opened", target=report)
    _tell_supporter(report, key="opened")
    return 1


def open_monthly_reports(supporter_ids: Sequence[int], now: dt.datetime) -> int:
    """open_monthly_report for many supporters at once: a query a program for their contacts,
    then the reports, their audit events and messages in bulk. A report another run opened
    meanwhile makes it raise (the runner then goes one by one)."""
    supporters = Supporter.objects.select_related("user", "program").in_bulk(supporter_ids)
    months = {
        supporter.program_id: report_month(supporter.program, now)
        for supporter in supporters.values()
    }
    opened = set(
        HoursReport.objects.filter(
            supporter_id__in=list(supporters), month__in=set(months.values())
        ).values_list("supporter_id", "month")
    )
    owed = [
        supporter
        for supporter_id in supporter_ids
        if (supporter := supporters.get(supporter_id)) is not None
        and (supporter.pk, months[supporter.program_id]) not in opened
    ]
    prefills = _prefills(owed, months)
    reports = HoursReport.objects.bulk_create(
        HoursReport(
            supporter=supporter,
            month=months[supporter.program_id],
            program=supporter.program,
            logged_minutes=prefills[supporter.pk].minutes,
            logged_contacts=prefills[supporter.pk].contacts,
            logged_methods=prefills[supporter.pk].methods,
        )
        for supporter in owed
    )
    record_events(
        audit_event(actor=None, action="matches.hours_report.opened", target=report)
        for report in reports
    )
    notify_all(_notice_to_supporter(report, key="opened") for report in reports)
    return len(reports)


def _prefills(supporters: Sequence[Supporter], months: Mapping[int, dt.date]) -> dict[int, Prefill]:
    """prefill_for each supporter, in one query a program."""
    methods: dict[int, Counter[str]] = {supporter.pk: Counter() for supporter in supporters}
    minutes = dict.fromkeys(methods, 0)
    programs = {supporter.program_id: supporter.program for supporter in supporters}
    for program_id, program in programs.items():
        start, end = month_bounds(program, months[program_id])
        logged = (
            ContactLog.objects.filter(
                match__supporter_id__in=[s.pk for s in supporters if s.program_id == program_id],
                was_made=True,
                occurred_at__gte=start,
                occurred_at__lt=end,
            )
            .order_by()
            .values_list("match__supporter_id", "method")
            .annotate(minutes=Sum("minutes"), contacts=Count("pk"))
        )
        for supporter_id, method, method_minutes, contacts in logged:
            minutes[supporter_id] += method_minutes
            methods[supporter_id][method] += contacts
    return {
        supporter_id: Prefill(
            minutes=minutes[supporter_id],
            contacts=sum(counted.values()),
            methods=dict(counted),
        )
        for supporter_id, counted in methods.items()
    }


def _tell_supporter(report: HoursReport, *, key: str) -> None:
    notify_all([_notice_to_supporter(report, key=key)])


def _notice_to_supporter(report: HoursReport, *, key: str) -> Notice:
    kind = messages.HOURS_REPORT_OPENED
    if key != "opened":
        kind = replace(messages.HOURS_REPORT_REMINDER, code=f"matches.hours_report.{key}")
    return Notice(
        kind=kind,
        recipients=[report.supporter.user],
        context={
            "month": dated(report.month, "F Y"),  # in the supporter's language
            "link": reverse("matches:hours_report", args=[report.pk]),
        },
        idempotency_key=(kind.code, report.pk, CHANNEL),
        channels=[Channel.EMAIL, Channel.IN_APP],
        program=report.program,
        link=reverse("matches:hours_report", args=[report.pk]),
    )


def reports_to_remind(now: dt.datetime) -> QuerySet[HoursReport]:
    """Unconfirmed reports with a reminder due that they have not had yet.

    Counted in UTC and a day early, so no zone is missed; `remind_missing_report` counts in the
    program's own.
    """
    due = Q(pk__in=[])
    for day in REMINDER_DAYS:
        latest_end = now.astimezone(dt.UTC).date() + dt.timedelta(days=1 - day)
        due |= Q(reminded_after_days__lt=day, month__lt=latest_end.replace(day=1))
    return HoursReport.objects.filter(due, confirmed_at__isnull=True).order_by("month", "pk")


@transaction.atomic
def remind_missing_report(report_id: int, now: dt.datetime) -> int:
    """Remind a supporter whose report is still unconfirmed 3 and 7 days after the month's end.

    Sends only the latest reminder reached; returns 1 if it did. Safe to run twice (the outbox
    keys each reminder).
    """
    report = HoursReport.objects.select_related("program", "supporter__user").get(pk=report_id)
    day = _reminder_due(report, now)
    if day is None:
        return 0
    _tell_supporter(report, key=f"reminder.{day}")
    HoursReport.objects.filter(pk=report.pk).update(reminded_after_days=day)
    return 1


def remind_missing_reports(report_ids: Sequence[int], now: dt.datetime) -> int:
    """remind_missing_report for many reports at once: one query, then the messages in bulk."""
    reports = HoursReport.objects.select_related("program", "supporter__user").in_bulk(report_ids)
    due = [
        (report, day)
        for report_id in report_ids
        if (report := reports.get(report_id)) is not None
        and (day := _reminder_due(report, now)) is not None
    ]
    notify_all(_notice_to_supporter(report, key=f"reminder.{day}") for report, day in due)
    for day in REMINDER_DAYS:
        reminded = [report.pk for report, reached in due if reached == day]
        if reminded:
            HoursReport.objects.filter(pk__in=reminded).update(reminded_after_days=day)
    return len(due)


def _reminder_due(report: HoursReport, now: dt.datetime) -> int | None:
    """The latest reminder an unconfirmed report has reached and not had (its days after the
    month's end: 3, 7); None if none."""
    if report.confirmed_at is not None:
        return None
    ended = first_of_next_month(report.month)
    days = (report.program.calendar.today(now) - ended).days
    reached = [day for day in REMINDER_DAYS if days >= day]
    return reached[-1] if reached and reached[-1] > report.reminded_after_days else None


@transaction.atomic
def confirm_hours_report(
    *, report: HoursReport, by: User, hours: Decimal, contacts: int, anything_to_know: str
) -> HoursReport:
    """The supporter confirms (or adjusts) their month's hours and contacts."""
    if report.supporter.user_id != by.pk:
        raise DomainError(_("Only the supporter can confirm their own hours."))
    if hours < 0 or hours > 300:
        raise DomainError(_("Give between 0 and 300 hours."))
    if contacts < 0 or contacts > 500:
        raise DomainError(_("Give between 0 and 500 contacts."))
    if hours > 0 and contacts == 0:
        raise DomainError(_("Hours with nobody contacted: please give how many contacts."))
    prefill = prefill_for(report.supporter, report.month)
    claimed = HoursReport.objects.filter(pk=report.pk, confirmed_at__isnull=True).update(
        confirmed_at=timezone.now(),
        confirmed_minutes=int(hours * 60),
        confirmed_contacts=contacts,
        anything_to_know=anything_to_know.strip(),
        logged_minutes=prefill.minutes,
        logged_contacts=prefill.contacts,
        logged_methods=prefill.methods,
    )
    if not claimed:
        raise DomainError(_("This month's hours are already confirmed."))
    report.refresh_from_db()
    record_event(
        actor=by,
        action="matches.hours_report.confirmed",
        target=report,
        data={"adjusted": report.confirmed_minutes != report.logged_minutes},
    )
    return report
