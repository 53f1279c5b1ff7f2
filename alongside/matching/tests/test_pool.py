"""Array scoring: hard constraints as masks, soft criteria as parts that add up to the total."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from alongside.matching.pool import (
    CRITERIA,
    Criterion,
    Need,
    SupporterPool,
    Weights,
    candidates_for,
    feasible,
    rank,
    why_not,
)

FAMILIES = 3


def pool_of(size: int, draw) -> SupporterPool:
    ints = lambda low, high: np.array(  # noqa: E731
        draw(st.lists(st.integers(low, high), min_size=size, max_size=size)), dtype=np.int64
    )
    relationships = np.zeros((size, FAMILIES), dtype=np.int8)
    years = np.zeros((size, FAMILIES), dtype=np.float32)
    family = ints(0, FAMILIES - 1)
    relationships[np.arange(size), family] = ints(1, 7)
    years[np.arange(size), family] = ints(0, 30)
    capacity = ints(1, 3)
    return SupporterPool(
        ids=np.arange(1, size + 1, dtype=np.int64),
        ready=np.array(draw(st.lists(st.booleans(), min_size=size, max_size=size))),
        languages=ints(1, 7),
        methods=ints(1, 31),
        relationships=relationships,
        years_lived=years,
        role=ints(-1, 3),
        site=ints(-1, 3),
        region=ints(-1, 3),
        utc_offset_minutes=ints(-480, -240),
        birth_year=ints(0, 2000),
        gender=ints(0, 2),
        availability=ints(0, 15),
        capacity=capacity,
        open_matches=np.minimum(ints(0, 3), capacity),
    )


@st.composite
def pools_and_needs(draw):
    pool = pool_of(draw(st.integers(1, 25)), draw)
    need = Need(
        languages=draw(st.integers(1, 7)),
        methods=draw(st.integers(1, 31)),
        family=draw(st.integers(-1, FAMILIES - 1)),
        relationship=draw(st.sampled_from([1, 2, 4])),
        role=draw(st.integers(-1, 3)),
        site=draw(st.integers(-1, 3)),
        region=draw(st.integers(-1, 3)),
        birth_year=draw(st.integers(0, 2000)),
        gender_wanted=draw(st.integers(-1, 2)),
        gender_is_firm=draw(st.booleans()),
        availability=draw(st.integers(0, 15)),
        exclude_same_site=draw(st.booleans()),
        excluded=frozenset(draw(st.sets(st.integers(1, 25), max_size=3))),
        urgency=draw(st.floats(0, 1)),
    )
    return pool, need


@settings(max_examples=120, deadline=None)
@given(pools_and_needs())
def test_a_shortlist_holds_only_supporters_who_break_no_hard_constraint(pool_and_need):
    pool, need = pool_and_need
    ranked = rank(pool, need, Weights())
    allowed = feasible(pool, need)

    assert all(allowed[row] for row in ranked.rows)
    for row in range(len(pool)):
        assert (why_not(pool, need, row) == []) == bool(allowed[row])


@settings(max_examples=120, deadline=None)
@given(pools_and_needs())
def test_a_scores_parts_add_up_to_its_total_and_the_best_comes_first(pool_and_need):
    pool, need = pool_and_need
    ranked = rank(pool, need, Weights())

    for parts, total in zip(ranked.points, ranked.totals, strict=True):
        assert round(float(parts.sum()), 1) == float(total)
        assert (parts >= 0).all()
        assert (parts <= np.array(list(Weights().vector())) + 1e-9).all()
    assert list(ranked.totals) == sorted(ranked.totals, reverse=True)


@settings(max_examples=60, deadline=None)
@given(pools_and_needs())
def test_the_whole_pool_candidates_are_the_feasible_pairs_with_their_totals(pool_and_need):
    pool, need = pool_and_need
    candidates = candidates_for(pool, [need], Weights())
    ranked = rank(pool, need, Weights())

    assert sorted(candidates.supporters.tolist()) == sorted(ranked.rows.tolist())


def simple_pool(**changes) -> SupporterPool:
    fields = {
        "ids": np.array([1, 2]),
        "ready": np.array([True, True]),
        "languages": np.array([1, 2]),
        "methods": np.array([1, 1]),
        "relationships": np.array([[1], [1]], dtype=np.int8),
        "years_lived": np.array([[5], [5]], dtype=np.float32),
        "role": np.array([0, 0]),
        "site": np.array([0, 1]),
        "region": np.array([0, 0]),
        "utc_offset_minutes": np.array([-300, -300]),
        "birth_year": np.array([1980, 1980]),
        "gender": np.array([0, 0]),
        "availability": np.array([0, 0]),
        "capacity": np.array([2, 2]),
        "open_matches": np.array([0, 0]),
    }
    fields.update(changes)
    return SupporterPool(**fields)


def test_a_supporter_without_a_shared_language_is_left_out_with_the_reason():
    pool = simple_pool()
    need = Need(languages=1, methods=1)

    assert rank(pool, need, Weights()).rows.tolist() == [0]
    assert why_not(pool, need, 1) == ["no shared language"]


def test_a_same_site_supporter_is_left_out_when_the_program_matches_across_sites():
    pool = simple_pool(languages=np.array([1, 1]))
    need = Need(languages=1, methods=1, site=0, exclude_same_site=True)

    assert rank(pool, need, Weights()).rows.tolist() == [1]
    assert "works at the same site" in why_not(pool, need, 0)[0]


def test_shared_experience_and_relationship_earn_their_weights():
    pool = simple_pool(
        languages=np.array([1, 1]), relationships=np.array([[1], [2]], dtype=np.int8)
    )
    need = Need(languages=1, methods=1, family=0, relationship=1)
    weights = Weights({Criterion.SHARED_EXPERIENCE: 30, Criterion.SAME_RELATIONSHIP: 20})

    ranked = rank(pool, need, weights)

    assert ranked.rows.tolist() == [0, 1]
    assert ranked.totals.tolist() == [50.0, 30.0]
    assert len(CRITERIA) == ranked.points.shape[1]
