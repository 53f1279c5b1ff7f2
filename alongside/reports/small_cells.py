"""The small-cell rule: no report shows a count of fewer people than its program's minimum.

Every count of people below the minimum `m` (a program setting, 5 by default; zero included) is
shown as "fewer than m", never as a number: the count is dropped here, so a PDF, a spreadsheet or
a page cannot leak it. That alone is not enough: where a table shows a total and all but one of
its parts, the hidden part is the total less the others. So this module also makes sure that
nobody can *work out* a hidden count from what is shown, by the rule statistical agencies call
complementary suppression, checked the way they audit it:

- A reader knows what each shown cell says: a number is exact, "fewer than m" is between 0 and
  m - 1, "not shown" (a cell withheld to protect another) is any number at all.
- Within a breakdown (the parts of one population, such as the people supported by gender), the
  parts add up to the total. From the shown parts and the total the reader can bound each hidden
  part; a hidden count is *recovered* when its bounds leave a single value other than zero (a
  zero singles nobody out, and "fewer than 1" is what a program that set 1 asked for).
- While some breakdown lets a hidden count be recovered, a second cell is withheld: the smallest
  part still shown, as "not shown"; when every part is already hidden, the total itself. Several
  breakdowns of one population share their total (the people supported, by gender and by
  language), so the reader's bounds on the total come from all of them at once, and a total
  withheld is withheld everywhere it appears.
- We chose withholding a second cell over rounding the totals: any rounding a reader knows can be
  undone at its edges (a part of 4 beside a shown 9, under a total shown as 15, is exactly 4).

Sums of something other than people (hours given) follow the people they belong to: a part's
hours are hidden when its people are, and the total hours when exactly one part's are hidden (two
hidden sums of hours bound each other by nothing but their total).

Employers and facilities in the health-care network are breakdowns like any other, but never
with a minimum below `SITE_MINIMUM`: a count of one nurse at one hospital is a person.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

from django.utils.formats import number_format
from django.utils.translation import gettext as _

# The smallest minimum an employer's or facility's breakdown is ever shown with.
SITE_MINIMUM = 5


class Hidden(StrEnum):
    SHOWN = ""
    SMALL = "small"  # below the minimum: "fewer than m"
    WITHHELD = "withheld"  # shown, another hidden count could be worked out from it


@dataclass(frozen=True)
class Cell:
    """What a report shows in one place: a number, or why there is none (never both)."""

    value: int | Decimal | None
    hidden: Hidden
    minimum: int
    counts_people: bool = True  # False for hours, sessions, days, shares

    @property
    def is_hidden(self) -> bool:
        return self.hidden is not Hidden.SHOWN

    def text(self) -> str:
        """The cell as a reader reads it, in the active language."""
        if self.hidden is Hidden.SMALL:
            return _("fewer than %(minimum)d") % {"minimum": self.minimum}
        if self.hidden is Hidden.WITHHELD:
            return _("not shown")
        return number_format(self.value or 0, use_l10n=True, force_grouping=True)

    def __str__(self) -> str:
        return self.text()


def shown(value: int | Decimal, minimum: int = 1) -> Cell:
    """A figure that counts no people (a median, a share): shown as it is."""
    return Cell(value, Hidden.SHOWN, minimum, counts_people=False)


def small(minimum: int) -> Cell:
    return Cell(None, Hidden.SMALL, minimum)


def withheld(minimum: int, *, counts_people: bool = True) -> Cell:
    return Cell(None, Hidden.WITHHELD, minimum, counts_people)


def count(value: int, minimum: int) -> Cell:
    """One count of people, on its own: hidden below the minimum."""
    return small(minimum) if value < minimum else Cell(value, Hidden.SHOWN, minimum)


@dataclass
class _Parts:
    values: dict[str, int]
    hidden: dict[str, Hidden] = field(default_factory=dict)

    def shown_sum(self) -> int:
        return sum(value for key, value in self.values.items() if key not in self.hidden)


@dataclass(frozen=True)
class Population:
    """A total and its breakdowns, each a list of (key, cell) in the order given."""

    total: Cell
    breakdowns: tuple[tuple[tuple[str, Cell], ...], ...]


INFINITE = 10**18


def _total_bounds(total: int, total_hidden: Hidden, parts: list[_Parts], minimum: int) -> range:
    """The totals a reader could believe, from the total's cell and every breakdown's cells."""
    if total_hidden is Hidden.SHOWN:
        return range(total, total + 1)
    low, high = 0, (minimum - 1 if total_hidden is Hidden.SMALL else INFINITE)
    for breakdown in parts:
        hidden = breakdown.hidden.values()
        low = max(low, breakdown.shown_sum())
        if Hidden.WITHHELD not in hidden:
            high = min(high, breakdown.shown_sum() + len(breakdown.hidden) * (minimum - 1))
    return range(low, high + 1)


def _recoverable(breakdown: _Parts, totals: range, minimum: int) -> bool:
    """Whether a hidden count of this breakdown has one possible value, and it is not zero."""
    small_parts = [key for key, why in breakdown.hidden.items() if why is Hidden.SMALL]
    any_withheld = len(small_parts) < len(breakdown.hidden)
    rest_low, rest_high = (
        totals.start - breakdown.shown_sum(),
        totals.stop - 1 - breakdown.shown_sum(),
    )
    for _key in small_parts:
        others = (len(small_parts) - 1) * (minimum - 1)
        low = 0 if any_withheld else max(0, rest_low - others)
        high = min(minimum - 1, rest_high)
        if low == high and low != 0:
            return True
    return False


def _withhold_one_more(parts: list[_Parts], unsafe: _Parts) -> bool:
    """Withhold the smallest part still shown of the unsafe breakdown, else of any; False when
    every part of every breakdown is hidden."""
    for breakdown in [unsafe, *parts]:
        still_shown = [key for key in breakdown.values if key not in breakdown.hidden]
        if still_shown:
            smallest = min(still_shown, key=lambda key: breakdown.values[key])
            breakdown.hidden[smallest] = Hidden.WITHHELD
            return True
    return False


def population(*, total: int, breakdowns: Sequence[Mapping[str, int]], minimum: int) -> Population:
    """The total and its breakdowns (each adding up to it) with the small-cell rule applied."""
    if minimum < 1:
        raise ValueError("The minimum count shown is at least 1.")
    if any(sum(parts.values()) != total for parts in breakdowns):
        raise ValueError("Each breakdown must add up to the total.")
    parts = [
        _Parts(
            dict(breakdown),
            {key: Hidden.SMALL for key, value in breakdown.items() if value < minimum},
        )
        for breakdown in breakdowns
    ]
    total_hidden = Hidden.SMALL if total < minimum else Hidden.SHOWN
    while True:
        totals = _total_bounds(total, total_hidden, parts, minimum)
        unsafe = next((part for part in parts if _recoverable(part, totals, minimum)), None)
        if unsafe is None:
            break
        if total_hidden is Hidden.SHOWN and all(unsafe.hidden.get(k) for k in unsafe.values):
            total_hidden = Hidden.WITHHELD
        elif not _withhold_one_more(parts, unsafe):
            break  # cannot happen: with everything hidden, no count has a single value
    return Population(
        total=_cell(total, total_hidden, minimum),
        breakdowns=tuple(
            tuple(
                (key, _cell(value, part.hidden.get(key, Hidden.SHOWN), minimum))
                for key, value in part.values.items()
            )
            for part in parts
        ),
    )


def breakdown(parts: Mapping[str, int], *, minimum: int) -> Population:
    """One breakdown and its total."""
    return population(total=sum(parts.values()), breakdowns=[parts], minimum=minimum)


def _cell(value: int, hidden: Hidden, minimum: int) -> Cell:
    return Cell(None if hidden is not Hidden.SHOWN else value, hidden, minimum)


def measures(
    people: Population, sums: Mapping[str, Decimal], *, which: int = 0
) -> tuple[tuple[tuple[str, Cell], ...], Cell]:
    """Sums other than people (hours) beside the people of breakdown `which`: each withheld
    with its people, and the total when the people's total is, or exactly one part is hidden."""
    rows = tuple(
        (key, withheld(cell.minimum, counts_people=False) if cell.is_hidden else shown(sums[key]))
        for key, cell in people.breakdowns[which]
    )
    hidden_parts = sum(1 for _key, cell in rows if cell.is_hidden)
    minimum = people.total.minimum
    if people.total.is_hidden or hidden_parts == 1:
        return rows, withheld(minimum, counts_people=False)
    return rows, shown(sum(sums.values(), Decimal(0)))
