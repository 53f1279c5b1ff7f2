"""The funder report as tables of cells, the small-cell rule applied: the page, the PDF and the
spreadsheet all show these, so none of them can show a count the others hide.

Pure: it takes the figures' numbers and returns text and cells, without the database.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from alongside.intake.models import Source
from alongside.matches.models import ClosureReason
from alongside.programs.models import Gender, Language, Relationship, ReportedDemographic
from alongside.reports.funder.counts import (
    AGE_GROUPS,
    NOT_SAID,
    GroupsOfKind,
    PeopleSupported,
    SupporterCounts,
)
from alongside.reports.small_cells import (
    SITE_MINIMUM,
    Cell,
    breakdown,
    count,
    measures,
    population,
    shown,
    withheld,
)
from alongside.supporters.models import WithdrawalReason


@dataclass(frozen=True)
class Row:
    label: str
    cells: tuple[Cell, ...]
    is_total: bool = False


@dataclass(frozen=True)
class Table:
    caption: str
    headers: tuple[str, ...]  # the first names the column of row headers
    rows: tuple[Row, ...]


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    tables: tuple[Table, ...]


def _one_column(caption: str, rows: Sequence[tuple[str, Cell]]) -> Table:
    return Table(
        caption, (_("Figure"), _("Number")), tuple(Row(label, (cell,)) for label, cell in rows)
    )


def demographic_labels(demographic: str, names: Mapping[str, str]) -> dict[str, str]:
    """Each group's label, every group of a fixed list included (their zeros hide with the
    small ones, so a lone small group cannot be told apart)."""
    not_said = {NOT_SAID: _("Not said")}
    match demographic:
        case ReportedDemographic.GENDER:
            return {(g.value or NOT_SAID): str(g.label) for g in Gender} | not_said
        case ReportedDemographic.AGE_GROUP:
            ages = {
                "under_25": _("Under 25"),
                "25_44": _("25 to 44"),
                "45_64": _("45 to 64"),
                "65_plus": _("65 and over"),
            }
            return {key: ages[key] for key, _young, _old in AGE_GROUPS} | not_said
        case ReportedDemographic.LANGUAGE:
            return {language.value: str(language.label) for language in Language}
        case ReportedDemographic.RELATIONSHIP:
            return {
                relationship.value: str(relationship.label) for relationship in Relationship
            } | (not_said)
        case ReportedDemographic.SOURCE:
            return {source.value: str(source.label) for source in Source}
        case ReportedDemographic.SITE:
            return dict(names) | {NOT_SAID: _("No site")}
        case _:
            return dict(names) | {NOT_SAID: _("Not said")}


def people_section(
    people: PeopleSupported, *, minimum: int, names: Mapping[str, Mapping[str, str]]
) -> Section:
    """The people supported, and each demographic the programs report, as one population: a
    total withheld for one breakdown is withheld in all. With employers or facilities among
    them, the whole population keeps at least `SITE_MINIMUM`."""
    if ReportedDemographic.SITE in people.groups:
        minimum = max(minimum, SITE_MINIMUM)
    labels = {
        demographic: demographic_labels(demographic, names.get(demographic, {}))
        for demographic in people.groups
    }
    breakdowns = [
        {key: groups.get(key, 0) for key in labels[demographic]}
        | {key: n for key, n in groups.items() if key not in labels[demographic]}
        for demographic, groups in people.groups.items()
    ]
    published = population(total=people.total, breakdowns=breakdowns, minimum=minimum)
    tables = [_one_column(_("People supported"), [(_("People supported"), published.total)])]
    for demographic, parts in zip(people.groups, published.breakdowns, strict=True):
        caption = _("People supported by %(demographic)s") % {
            "demographic": str(ReportedDemographic(demographic).label).lower()
        }
        rows = [Row(labels[demographic].get(str(key), str(key)), (cell,)) for key, cell in parts]
        rows.append(Row(_("Total"), (published.total,), is_total=True))
        headers = (str(ReportedDemographic(demographic).label), _("People"))
        tables.append(Table(caption, headers, tuple(rows)))
    return Section("people", _("People supported"), tuple(tables))


@dataclass(frozen=True)
class RequestNumbers:
    received: int
    matched: int
    within_sla: int
    median_days: int | None
    p90_days: int | None


def requests_section(numbers: RequestNumbers, *, minimum: int) -> Section:
    """Requests received and matched; the share matched within the promise only when both its
    parts are shown, and the waits only when enough people waited."""
    timely = breakdown(
        {"within": numbers.within_sla, "later": numbers.matched - numbers.within_sla},
        minimum=minimum,
    )
    (_within, within), (_later, later) = timely.breakdowns[0]
    share = (
        shown(round(Decimal(100 * numbers.within_sla) / numbers.matched))
        if not (within.is_hidden or later.is_hidden) and numbers.matched
        else withheld(minimum, counts_people=False)
    )
    enough = numbers.matched >= minimum

    def days(value: int | None) -> Cell:
        return (
            shown(value) if enough and value is not None else withheld(minimum, counts_people=False)
        )

    rows = [
        (_("Requests received"), count(numbers.received, minimum)),
        (_("Requests matched"), timely.total),
        (_("Matched within the promised time"), within),
        (_("Matched later"), later),
        (_("Share matched within the promised time (%)"), share),
        (_("Business days to a match, median"), days(numbers.median_days)),
        (_("Business days to a match, 90th percentile"), days(numbers.p90_days)),
    ]
    return Section("requests", _("Requests and time to match"), (_one_column(_("Requests"), rows),))


def matches_section(
    *, started: int, open_at_end: int, closed: int, reasons: Mapping[str, int], minimum: int
) -> Section:
    """Matches started, open at the end, and closed by reason (the reasons add up to closed)."""
    parts = {reason.value: reasons.get(reason.value, 0) for reason in ClosureReason}
    parts[NOT_SAID] = closed - sum(parts.values())
    published = breakdown(parts, minimum=minimum)
    labels = {reason.value: str(reason.label) for reason in ClosureReason}
    labels[NOT_SAID] = _("No reason recorded")
    summary = _one_column(
        _("Matches"),
        [
            (_("Matches started"), count(started, minimum)),
            (_("Matches open at the end of the period"), count(open_at_end, minimum)),
            (_("Matches closed"), published.total),
        ],
    )
    by_reason = Table(
        _("Matches closed, by reason"),
        (_("Reason"), _("Matches")),
        (
            *(Row(labels[str(key)], (cell,)) for key, cell in published.breakdowns[0]),
            Row(_("Total"), (published.total,), is_total=True),
        ),
    )
    return Section("matches", _("Matches"), (summary, by_reason))


def hours_section(
    *, people: Mapping[str, int], minutes: Mapping[str, int], minimum: int
) -> Section:
    """Hours given by volunteers and by paid workers, beside how many gave them."""
    published = breakdown(people, minimum=minimum)
    hours = {key: (Decimal(minutes[key]) / 60).quantize(Decimal("0.1")) for key in people}
    hour_rows, total_hours = measures(published, hours)
    labels = {"volunteer": _("Volunteers"), "paid": _("Paid peer support workers")}
    rows = [
        Row(labels[str(key)], (cell, hour_cell))
        for (key, cell), (_key, hour_cell) in zip(published.breakdowns[0], hour_rows, strict=True)
    ]
    rows.append(Row(_("Total"), (published.total, total_hours), is_total=True))
    table = Table(_("Hours given"), (_("Supporters"), _("People"), _("Hours")), tuple(rows))
    return Section("hours", _("Hours given"), (table,))


def supporters_section(counts: SupporterCounts, *, minimum: int) -> Section:
    """Supporters recruited, trained and active; and those who withdrew, by their main reason
    (the reasons add up to them; every reason is listed, so a small one hides among the rest)."""
    parts = {reason.value: counts.withdrew.get(reason.value, 0) for reason in WithdrawalReason}
    withdrew = breakdown(parts, minimum=minimum)
    rows = [
        (_("Supporters recruited"), count(counts.recruited, minimum)),
        (_("Supporters who completed a training"), count(counts.trained, minimum)),
        (_("Supporters active in matches"), count(counts.active, minimum)),
        (_("Supporters who withdrew"), withdrew.total),
    ]
    labels = {reason.value: str(reason.label) for reason in WithdrawalReason}
    by_reason = Table(
        _("Supporters who withdrew, by main reason"),
        (_("Main reason"), _("Supporters")),
        (
            *(Row(labels[str(key)], (cell,)) for key, cell in withdrew.breakdowns[0]),
            Row(_("Total"), (withdrew.total,), is_total=True),
        ),
    )
    return Section(
        "supporters", _("Peer supporters"), (_one_column(_("Supporters"), rows), by_reason)
    )


def groups_section(kinds: Sequence[GroupsOfKind], *, minimum: int) -> Section:
    """Sessions held (not people: shown as they are), attendances (a breakdown by kind with its
    total), and the people who attended each kind (no total: one person attends several)."""
    visits = breakdown({kind.kind.value: kind.attendances for kind in kinds}, minimum=minimum)
    rows = [
        Row(
            str(kind.kind.label),
            (shown(kind.sessions), visit, count(kind.people, minimum)),
        )
        for kind, (_key, visit) in zip(kinds, visits.breakdowns[0], strict=True)
    ]
    rows.append(
        Row(
            _("Total"),
            (shown(sum(kind.sessions for kind in kinds)), visits.total, withheld(minimum)),
            is_total=True,
        )
    )
    headers = (_("Kind"), _("Sessions held"), _("Attendances"), _("People who attended"))
    return Section(
        "groups", _("Groups and attendance"), (Table(_("Groups"), headers, tuple(rows)),)
    )


@dataclass(frozen=True)
class OutcomeNumbers:
    name: str
    sent: int
    answered: int
    pairs: int  # matches answered at the start and at closure
    mean_start: Decimal | None
    mean_closure: Decimal | None


def outcomes_section(instruments: Sequence[OutcomeNumbers], *, minimum: int) -> Section:
    """Each questionnaire's response rate and change from start to closure. Sent is answered
    plus unanswered, so an answered count is withheld when the unanswered are too few; the
    rate is shown only when both are, and the means only when enough matches answered both."""
    rows = []
    for instrument in instruments:
        replies = breakdown(
            {"answered": instrument.answered, "unanswered": instrument.sent - instrument.answered},
            minimum=minimum,
        )
        (_key, answered), (_other, unanswered) = replies.breakdowns[0]
        rate = (
            shown(round(Decimal(100 * instrument.answered) / instrument.sent))
            if instrument.sent and not (answered.is_hidden or unanswered.is_hidden)
            else withheld(minimum, counts_people=False)
        )
        enough = instrument.pairs >= minimum

        def mean(value: Decimal | None, enough: bool = enough) -> Cell:
            return (
                shown(value)
                if enough and value is not None
                else withheld(minimum, counts_people=False)
            )

        change = (
            instrument.mean_closure - instrument.mean_start
            if instrument.mean_closure is not None and instrument.mean_start is not None
            else None
        )
        cells = (
            replies.total,
            answered,
            rate,
            count(instrument.pairs, minimum),
            mean(instrument.mean_start),
            mean(instrument.mean_closure),
            mean(change),
        )
        rows.append(Row(instrument.name, cells))
    headers = (
        _("Questionnaire"),
        _("Sent"),
        _("Answered"),
        _("Response rate (%)"),
        _("Matches answered at start and closure"),
        _("Mean at start"),
        _("Mean at closure"),
        _("Mean change"),
    )
    table = Table(_("Outcome change"), headers, tuple(rows))
    return Section("outcomes", _("Outcome change"), (table,))
