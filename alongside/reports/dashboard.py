"""The coordinator's dashboard: every figure for the chosen programs and period, each with the
data its chart draws (read by reports/dashboard.js from a json_script) and the list behind it."""

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from alongside.intake.models import SLA_RISK_WINDOW, DueState
from alongside.programs.models import Program
from alongside.reports.figures import matches, outcomes, requests, safety, supporters
from alongside.reports.periods import Period


@dataclass(frozen=True)
class Chart:
    """What a chart draws: its labels and series, and the sentence a screen reader hears."""

    key: str
    kind: str  # "bar" or "line"
    labels: list[str]
    series: list[tuple[str, list[float | int]]]
    summary: str
    stacked: bool = False
    horizontal: bool = False

    @property
    def data(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "labels": self.labels,
            "series": [{"label": label, "data": values} for label, values in self.series],
            "stacked": self.stacked,
            "horizontal": self.horizontal,
        }

    @property
    def rows(self) -> list[tuple[str, list[float | int]]]:
        """The table beside the chart: one row per label, one column per series."""
        return [
            (label, [values[index] for _name, values in self.series])
            for index, label in enumerate(self.labels)
        ]

    @property
    def element_id(self) -> str:
        return f"chart-{self.key}-data"


def list_link(url_name: str, programs: Sequence[Program], **filters: str) -> str:
    """The list behind a figure, filtered to the one program shown (if one is)."""
    query = {"program": str(programs[0].pk)} if len(programs) == 1 else {}
    query |= filters
    return reverse(url_name) + (f"?{urlencode(query)}" if query else "")


def _month(month: dt.date) -> str:
    return formats.date_format(month, "YEAR_MONTH_FORMAT")


def waiting_chart(figure: requests.WaitingRequests) -> Chart:
    # In the request queue's own words for each state (intake's DueState), which its filter
    # (`due=`) takes: the figure and the list behind it say the same thing.
    return Chart(
        key="waiting",
        kind="bar",
        labels=[str(state.label) for state in DueState],
        series=[(_("Requests waiting"), [figure.on_time, figure.at_risk, figure.overdue])],
        summary=_(
            "Requests waiting: %(on_time)d on time, %(at_risk)d nearly due, %(overdue)d overdue."
        )
        % {"on_time": figure.on_time, "at_risk": figure.at_risk, "overdue": figure.overdue},
    )


@dataclass(frozen=True)
class DueRow:
    """One state of the waiting requests' table: its words, its count, its list."""

    label: str
    count: int
    link: str


def due_rows(figure: requests.WaitingRequests, programs: Sequence[Program]) -> list[DueRow]:
    return [
        DueRow(
            str(state.label),
            getattr(figure, state.value),
            list_link("intake:queue", programs, due=state.value),
        )
        for state in DueState
    ]


def days_label(days: int) -> str:
    return ngettext("%(count)d business day", "%(count)d business days", days) % {"count": days}


def time_to_match_chart(figure: requests.TimeToMatch) -> Chart:
    labels = [days_label(days) for days, _count in figure.distribution]
    counts: list[float | int] = [count for _days, count in figure.distribution]
    labels.append(_("%(count)d or more") % {"count": requests.LONGEST_SHOWN})
    counts.append(figure.longer)
    if figure.median_days is None:
        summary = _("No request was matched in this period.")
    else:
        summary = ngettext(
            "%(matched)d request matched; half within %(median)s, nine in ten within %(p90)s.",
            "%(matched)d requests matched; half within %(median)s, nine in ten within %(p90)s.",
            figure.matched,
        ) % {
            "matched": figure.matched,
            "median": days_label(figure.median_days),
            "p90": days_label(figure.p90_days or 0),
        }
    return Chart(
        key="time-to-match",
        kind="bar",
        labels=labels,
        series=[(_("Requests matched"), counts)],
        summary=summary,
    )


def activity_chart(figure: matches.MatchesByMonth) -> Chart:
    months = figure.months
    return Chart(
        key="activity",
        kind="bar",
        labels=[_month(month.month) for month in months],
        series=[
            (_("Open matches"), [month.active_matches for month in months]),
            (_("Contacts made"), [month.contacts for month in months]),
        ],
        summary=_("Open matches and contacts made, month by month: %(months)s.")
        % {
            "months": "; ".join(
                f"{_month(month.month)} {month.active_matches} / {month.contacts}"
                for month in months
            )
        },
    )


def hours_chart(figure: matches.MatchesByMonth) -> Chart:
    months = figure.months
    return Chart(
        key="hours",
        kind="bar",
        stacked=True,
        labels=[_month(month.month) for month in months],
        series=[
            (_("Below the band"), [month.below_band for month in months]),
            (_("Within the band"), [month.within_band for month in months]),
            (_("Above the band"), [month.above_band for month in months]),
        ],
        summary=_("Supporters' monthly hours against the band: %(months)s.")
        % {
            "months": "; ".join(
                _("%(month)s: %(below)d below, %(within)d within, %(above)d above")
                % {
                    "month": _month(month.month),
                    "below": month.below_band,
                    "within": month.within_band,
                    "above": month.above_band,
                }
                for month in months
            )
        },
    )


def pipeline_chart(figure: supporters.Pipeline, *, several: bool) -> Chart:
    labels = [_("Applied")]
    counts: list[float | int] = [figure.applied]
    for step in figure.steps:
        labels.append(f"{step.program_name}: {step.name}" if several else str(step.name))
        counts.append(step.passed)
    labels += [_("Ready"), _("Matched")]
    counts += [figure.ready, figure.matched]
    return Chart(
        key="pipeline",
        kind="bar",
        horizontal=True,
        labels=labels,
        series=[(_("Supporters"), counts)],
        summary=_("Of %(applied)d who applied, %(ready)d became ready and %(matched)d matched.")
        % {"applied": figure.applied, "ready": figure.ready, "matched": figure.matched},
    )


def retention_chart(figure: matches.MatchesByMonth) -> Chart:
    months = figure.months
    return Chart(
        key="retention",
        kind="line",
        labels=[_month(month.month) for month in months],
        series=[(_("Supporters giving support"), [month.giving for month in months])],
        summary=_("Supporters who gave support, month by month: %(months)s.")
        % {"months": "; ".join(f"{_month(month.month)} {month.giving}" for month in months)},
    )


def escalations_chart(figure: safety.Escalations) -> Chart:
    labels = [
        _("Within %(time)s") % {"time": _duration(limit)}
        for limit, _c in figure.acknowledged_by_band
    ]
    counts: list[float | int] = [count for _limit, count in figure.acknowledged_by_band]
    labels.append(_("Later"))
    counts.append(figure.acknowledged_later)
    return Chart(
        key="escalations",
        kind="bar",
        labels=labels,
        series=[(_("Escalations acknowledged"), counts)],
        summary=ngettext(
            "%(raised)d escalation raised, %(acknowledged)d acknowledged.",
            "%(raised)d escalations raised, %(acknowledged)d acknowledged.",
            figure.raised,
        )
        % {"raised": figure.raised, "acknowledged": figure.acknowledged},
    )


def _duration(limit: dt.timedelta) -> str:
    minutes = int(limit.total_seconds() // 60)
    if minutes < 60:
        return ngettext("%(count)d minute", "%(count)d minutes", minutes) % {"count": minutes}
    if minutes < 24 * 60:
        hours = minutes // 60
        return ngettext("%(count)d hour", "%(count)d hours", hours) % {"count": hours}
    days = minutes // (24 * 60)
    return ngettext("%(count)d day", "%(count)d days", days) % {"count": days}


def outcomes_chart(changes: Sequence[outcomes.InstrumentChange]) -> Chart:
    return Chart(
        key="outcomes",
        kind="bar",
        labels=[str(change.name) for change in changes],
        series=[
            (_("Mean at the start"), [float(change.mean_start or 0) for change in changes]),
            (_("Mean at closure"), [float(change.mean_closure or 0) for change in changes]),
        ],
        summary=ngettext(
            "Mean scores at the start and at closure of %(count)d questionnaire.",
            "Mean scores at the start and at closure of %(count)d questionnaires.",
            len(changes),
        )
        % {"count": len(changes)},
    )


@dataclass(frozen=True)
class DashboardNumbers:
    """The dashboard's figures, before any chart or link: what the page and the API read."""

    waiting: requests.WaitingRequests
    time_to_match: requests.TimeToMatch
    by_month: matches.MatchesByMonth
    people: supporters.SupporterFigures
    escalations: safety.Escalations
    changes: tuple[outcomes.InstrumentChange, ...]


def dashboard_numbers(
    *, programs: Sequence[Program], period: Period, now: dt.datetime
) -> DashboardNumbers:
    """Every figure of the dashboard for these programs and period, as numbers."""
    counts = requests.request_counts(programs=programs, period=period, now=now)
    return DashboardNumbers(
        waiting=counts.waiting,
        time_to_match=requests.time_to_match(
            programs=programs, period=period, received=counts.received
        ),
        by_month=matches.matches_by_month(programs=programs, period=period),
        people=supporters.supporter_figures(programs=programs, period=period, now=now),
        escalations=safety.escalations(programs=programs, period=period),
        changes=outcomes.outcome_change(programs=programs, period=period),
    )


def dashboard_figures(
    *, programs: Sequence[Program], period: Period, now: dt.datetime
) -> dict[str, Any]:
    """Every figure of the dashboard, its chart and the links to the lists behind it."""
    numbers = dashboard_numbers(programs=programs, period=period, now=now)
    waiting, time_to_match, by_month = numbers.waiting, numbers.time_to_match, numbers.by_month
    people, escalations, changes = numbers.people, numbers.escalations, numbers.changes
    charts = [
        waiting_chart(waiting),
        time_to_match_chart(time_to_match),
        activity_chart(by_month),
        hours_chart(by_month),
        pipeline_chart(people.pipeline, several=len(programs) > 1),
        retention_chart(by_month),
        escalations_chart(escalations),
        outcomes_chart(changes),
    ]
    return {
        "waiting": waiting,
        "due_rows": due_rows(waiting, programs),
        "nearly_due_hours": int(SLA_RISK_WINDOW.total_seconds() // 3600),
        "time_to_match": time_to_match,
        "by_month": by_month,
        "pipeline": people.pipeline,
        "standing": people.standing,
        "strain": people.strain,
        "escalations": escalations,
        "changes": changes,
        "charts": {chart.key.replace("-", "_"): chart for chart in charts},
        "links": {
            "queue": list_link("intake:queue", programs),
            "matches": list_link("matches:list", programs),
            "follow_up": list_link("matches:follow_up", programs),
            "hours_missing": list_link("matches:follow_up_hours", programs),
            "board": list_link("supporters:board", programs),
            "supervisees": list_link("supporters:supervisees", programs),
            "escalations": list_link("safety:escalation_list", programs),
            "outcomes": list_link("outcomes:figures", programs),
        },
    }
