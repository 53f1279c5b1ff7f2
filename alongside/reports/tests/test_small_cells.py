"""The small-cell rule: no count of fewer people than the minimum is shown, and none can be
worked out from the totals (checked by a reader who tries every value the cells allow)."""

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from alongside.reports.small_cells import (
    Cell,
    Hidden,
    Population,
    breakdown,
    count,
    measures,
    population,
)


def possible_values(
    published: Population, minimum: int, cap: int
) -> dict[tuple[int, object], set[int]]:
    """What a reader can believe each hidden part is, trying every total up to `cap` and, for
    each, whether the other cells of its breakdown can make up the rest."""

    def bounds(cell: Cell) -> tuple[int, int]:
        if not cell.is_hidden:
            return int(cell.value), int(cell.value)  # type: ignore[arg-type]
        return (0, minimum - 1) if cell.hidden is Hidden.SMALL else (0, cap)

    low, high = bounds(published.total)
    totals = [
        total
        for total in range(low, min(high, cap) + 1)
        if all(
            sum(bounds(cell)[0] for _key, cell in parts)
            <= total
            <= sum(bounds(cell)[1] for _key, cell in parts)
            for parts in published.breakdowns
        )
    ]
    beliefs: dict[tuple[int, object], set[int]] = {}
    for number, parts in enumerate(published.breakdowns):
        for key, cell in parts:
            if not cell.is_hidden:
                continue
            others = [bounds(other) for other_key, other in parts if other_key != key]
            first, last = bounds(cell)
            beliefs[number, key] = {
                value
                for total in totals
                for value in range(first, last + 1)
                if sum(lo for lo, _hi in others) <= total - value <= sum(hi for _lo, hi in others)
            }
    return beliefs


@st.composite
def populations(draw):
    first = draw(st.lists(st.integers(0, 12), min_size=1, max_size=4))
    total = sum(first)
    breakdowns = [dict(enumerate(first))]
    for _ in range(draw(st.integers(0, 2))):
        cuts = sorted(draw(st.lists(st.integers(0, total), min_size=0, max_size=3)))
        edges = [0, *cuts, total]
        breakdowns.append(
            {index: edges[index + 1] - edges[index] for index in range(len(edges) - 1)}
        )
    return total, breakdowns, draw(st.integers(1, 7))


@settings(max_examples=400, deadline=None)
@given(populations())
def test_no_count_under_the_minimum_is_shown_and_none_can_be_worked_out(case):
    total, breakdowns, minimum = case

    published = population(total=total, breakdowns=breakdowns, minimum=minimum)

    cells = [published.total, *(cell for parts in published.breakdowns for _key, cell in parts)]
    assert all(cell.value is None or cell.value >= minimum for cell in cells)
    assert all((cell.value is None) == cell.is_hidden for cell in cells)
    beliefs = possible_values(published, minimum, cap=total + 2 * minimum)
    for (number, key), believed in beliefs.items():
        true_value = breakdowns[number][key]
        assert true_value in believed
        assert len(believed) >= 2 or true_value == 0, (number, key, believed)


def test_a_count_under_the_minimum_reads_fewer_than_the_minimum():
    assert count(4, 5).text() == "fewer than 5"
    assert count(0, 5).text() == "fewer than 5"
    assert count(5, 5).text() == "5"
    assert count(1234, 10).text() == "1,234"


def test_a_total_with_all_but_one_part_shown_has_a_second_part_withheld():
    published = breakdown({"woman": 12, "man": 9, "non_binary": 2}, minimum=5)

    shown = {key: cell.text() for key, cell in published.breakdowns[0]}
    assert shown == {"woman": "12", "man": "not shown", "non_binary": "fewer than 5"}
    assert published.total.text() == "23"


def test_two_small_parts_that_add_up_to_what_is_missing_are_not_enough_when_both_are_full():
    # 4 and 4 under a total of 20 beside 12: the reader knows both are 4 unless more is hidden.
    published = breakdown({"a": 12, "b": 4, "c": 4}, minimum=5)

    assert [cell.text() for _key, cell in published.breakdowns[0]] == [
        "not shown",
        "fewer than 5",
        "fewer than 5",
    ]


def test_when_every_part_is_small_and_full_the_total_is_withheld():
    published = breakdown({"a": 4, "b": 4}, minimum=5)

    assert published.total.text() == "not shown"


def test_a_total_withheld_in_one_breakdown_is_not_given_away_by_another():
    published = population(total=8, breakdowns=[{"a": 4, "b": 4}, {"x": 3, "y": 5}], minimum=5)

    assert published.total.text() == "not shown"
    beliefs = possible_values(published, 5, cap=30)
    assert beliefs[0, "a"] == beliefs[0, "b"] == {1, 2, 3, 4}


def test_hours_follow_their_people_so_two_are_hidden_and_their_sum_tells_neither():
    people = breakdown({"volunteer": 40, "paid": 2}, minimum=5)

    rows, total = measures(people, {"volunteer": Decimal("310.5"), "paid": Decimal("80")})

    assert [cell.text() for _key, cell in rows] == ["not shown", "not shown"]
    assert total.text() == "390.5"


def test_the_total_hours_are_withheld_when_the_people_are_too_few():
    people = breakdown({"volunteer": 3, "paid": 1}, minimum=5)

    rows, total = measures(people, {"volunteer": Decimal(30), "paid": Decimal(8)})

    assert [cell.text() for _key, cell in rows] == ["not shown", "not shown"]
    assert total.text() == "not shown"


def test_hours_are_shown_when_their_people_are():
    people = breakdown({"volunteer": 40, "paid": 7}, minimum=5)

    rows, total = measures(people, {"volunteer": Decimal("310.5"), "paid": Decimal("80")})

    assert [cell.text() for _key, cell in rows] == ["310.5", "80"]
    assert total.text() == "390.5"


def test_a_minimum_below_one_is_refused():
    with pytest.raises(ValueError, match="at least 1"):
        breakdown({"a": 1}, minimum=0)
