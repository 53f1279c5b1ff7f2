"""The funder report for a period and one or several programs: every figure read once, in a
few aggregate queries, and laid out as the tables the page, the PDF and the spreadsheet show."""

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.translation import gettext as _

from alongside.programs.models import Experience, Program, ReportedDemographic
from alongside.reports.figures.matches import match_flow, matches_by_month
from alongside.reports.figures.outcomes import outcome_change
from alongside.reports.figures.requests import time_to_match
from alongside.reports.funder import counts, tables
from alongside.reports.periods import Period


@dataclass(frozen=True)
class FunderReport:
    programs: tuple[Program, ...]  # none: a report of nothing, every count zero and hidden
    period: Period
    minimum: int
    sections: tuple[tables.Section, ...]

    @property
    def program_names(self) -> str:
        """The programs it covers, for its title and its "About" sheet ("no program" when it
        covers none, rather than a blank that reads as a fault)."""
        return ", ".join(program.name for program in self.programs) or _("no program")


# A program's own minimum when none is set (Program.report_minimum_count's default).
DEFAULT_MINIMUM: int = Program._meta.get_field("report_minimum_count").get_default()


def report_minimum(programs: Sequence[Program]) -> int:
    """The strictest of the programs' minimums: a report across programs hides what any would;
    of no program, the default one (never less than a program would set)."""
    return max((program.report_minimum_count for program in programs), default=DEFAULT_MINIMUM)


def reported_demographics(programs: Sequence[Program]) -> list[str]:
    """The demographics every one of the programs chose to report, in the settings' order.
    Never the site when one of them is employer-blind: a report goes to employers, and no
    site's name is in anything an employer receives (ADR 0013)."""
    blind = any(program.is_employer_blind for program in programs)
    return [
        demographic.value
        for demographic in ReportedDemographic
        if all(demographic.value in program.reported_demographics for program in programs)
        and not (blind and demographic == ReportedDemographic.SITE)
    ]


def _names(people: counts.PeopleSupported) -> dict[str, dict[str, str]]:
    """Experiences by their own name, in the reader's language (one query, when reported)."""
    slugs = set(people.groups.get(ReportedDemographic.EXPERIENCE, {})) - {counts.NOT_SAID}
    if not slugs:
        return {}
    experiences = Experience.objects.filter(slug__in=slugs)
    return {
        ReportedDemographic.EXPERIENCE: {
            experience.slug: str(experience.in_language("name")) for experience in experiences
        }
    }


def build_report(*, programs: Sequence[Program], period: Period) -> FunderReport:
    """Every section of the report, the small-cell rule applied (about twenty queries)."""
    chosen = tuple(programs)
    minimum = report_minimum(chosen)
    people = counts.people_supported(
        programs=chosen, period=period, demographics=reported_demographics(chosen)
    )
    waits = time_to_match(programs=chosen, period=period)
    flow = match_flow(programs=chosen, period=period)
    months = matches_by_month(programs=chosen, period=period).months
    paid = sum(month.paid_minutes for month in months)
    volunteer = sum(month.minutes for month in months) - paid
    sections = (
        tables.people_section(people, minimum=minimum, names=_names(people)),
        tables.requests_section(
            tables.RequestNumbers(
                received=waits.received,
                matched=waits.matched,
                within_sla=waits.within_sla,
                median_days=waits.median_days,
                p90_days=waits.p90_days,
            ),
            minimum=minimum,
        ),
        tables.matches_section(
            started=flow.started,
            open_at_end=flow.open_at_end,
            closed=flow.closed,
            reasons={reason.value: n for reason, n in flow.closed_by_reason},
            minimum=minimum,
        ),
        tables.hours_section(
            people=counts.hours_givers(programs=chosen, period=period),
            minutes={"volunteer": volunteer, "paid": paid},
            minimum=minimum,
        ),
        tables.supporters_section(
            counts.supporter_counts(programs=chosen, period=period), minimum=minimum
        ),
        tables.groups_section(counts.group_counts(programs=chosen, period=period), minimum=minimum),
        tables.outcomes_section(
            [
                tables.OutcomeNumbers(
                    name=change.name.text,
                    sent=change.sent,
                    answered=change.answered,
                    pairs=change.pairs,
                    mean_start=change.mean_start,
                    mean_closure=change.mean_closure,
                )
                for change in outcome_change(programs=chosen, period=period)
            ],
            minimum=minimum,
        ),
    )
    return FunderReport(programs=chosen, period=period, minimum=minimum, sections=sections)
