"""Array scoring: hard constraints as masks, soft criteria as parts that add up to the total."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from alongside.matching.assignment import UNMATCHED, assign_optimal
from alongside.matching.page import shortlist_page
from alongside.matching.pairs import candidates_for
from alongside.matching.scoring import (
    CRITERIA,
    Criterion,
    Need,
    SupporterPool,
    Weights,
    feasible,
    hard_masks,
    rank,
    why_not,
)
from alongside.matching.scoring import parts as criteria_parts

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
        accepts_genders=np.where(ints(0, 3) == 0, ints(1, 7), 0),
        accepts_relationships=np.where(ints(0, 3) == 0, ints(1, 7), 0),
        pledge_used=np.array(
            draw(st.lists(st.floats(0, 3), min_size=size, max_size=size)), dtype=np.float64
        ),
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
        gender=draw(st.integers(-1, 2)),
        gender_wanted=draw(st.integers(-1, 2)),
        gender_is_firm=draw(st.booleans()),
        availability=draw(st.integers(0, 15)),
        exclude_same_site=draw(st.booleans()),
        declined=frozenset(draw(st.sets(st.integers(1, 25), max_size=3))),
        conflicts=frozenset(draw(st.sets(st.integers(1, 25), max_size=2))),
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
    candidates = candidates_for(pool, [need], Weights(), capped=False)
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
        "accepts_genders": np.array([0, 0]),
        "accepts_relationships": np.array([0, 0]),
        "pledge_used": np.array([0.0, 0.0]),
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


def test_a_supporters_firm_preference_about_who_they_support_is_a_hard_constraint():
    only_women = 1 << 0
    pool = simple_pool(languages=np.array([1, 1]), accepts_genders=np.array([only_women, 0]))

    a_woman = Need(languages=1, methods=1, gender=0)
    a_man = Need(languages=1, methods=1, gender=1)
    did_not_say = Need(languages=1, methods=1)

    assert rank(pool, a_woman, Weights()).rows.tolist() == [0, 1]
    assert rank(pool, a_man, Weights()).rows.tolist() == [1]
    assert why_not(pool, a_man, 0) == ["only supports people of another gender"]
    assert rank(pool, did_not_say, Weights()).rows.tolist() == [1]


def test_a_supporter_who_supports_only_caregivers_is_not_offered_to_a_person_living_with_it():
    caregivers = 2
    pool = simple_pool(languages=np.array([1, 1]), accepts_relationships=np.array([caregivers, 0]))

    assert rank(pool, Need(languages=1, methods=1, relationship=1), Weights()).rows.tolist() == [1]
    assert rank(pool, Need(languages=1, methods=1, relationship=2), Weights()).rows.tolist() == [
        0,
        1,
    ]


def test_hours_beyond_the_pledge_fade_the_load_points_so_the_work_is_spread():
    pool = simple_pool(languages=np.array([1, 1]), pledge_used=np.array([2.0, 0.5]))
    weights = Weights({Criterion.LOAD: 10})

    ranked = rank(pool, Need(languages=1, methods=1), weights)

    assert ranked.rows.tolist() == [1, 0]
    assert ranked.totals.tolist() == [10.0, 0.0]


@st.composite
def pools_and_many_needs(draw):
    pool = pool_of(draw(st.integers(1, 15)), draw)
    needs = [draw(pools_and_needs())[1] for _ in range(draw(st.integers(1, 8)))]
    return pool, needs


@settings(max_examples=80, deadline=None)
@given(pools_and_many_needs())
def test_no_proposal_of_a_whole_pool_run_breaks_a_hard_constraint_or_a_capacity(pool_and_needs):
    pool, needs = pool_and_needs
    free = pool.free_places * pool.ready

    result = assign_optimal(
        request_count=len(needs),
        capacity=free,
        candidates=candidates_for(pool, needs, Weights()),
        priority=np.array([need.urgency for need in needs]),
    )

    for request, row in enumerate(result.supporter_for.tolist()):
        if row != UNMATCHED:
            assert why_not(pool, needs[request], row) == []
    matched = result.supporter_for[result.supporter_for != UNMATCHED]
    taken = np.bincount(matched, minlength=len(pool))
    assert (taken <= free).all()


def triples(candidates) -> list[tuple[int, int, float]]:
    return sorted(
        zip(
            candidates.requests.tolist(),
            candidates.supporters.tolist(),
            candidates.scores.tolist(),
            strict=True,
        )
    )


def best_of(pool: SupporterPool, needs, candidates) -> tuple[int, int, float]:
    priority = np.array([need.urgency for need in needs])
    result = assign_optimal(
        request_count=len(needs),
        capacity=pool.free_places * pool.ready,
        candidates=candidates,
        priority=priority,
    )
    matched = result.supporter_for != UNMATCHED
    urgency = int(np.rint(np.clip(priority, 0, 1) * 100).astype(int)[matched].sum())
    return result.matched, urgency, round(result.total_score, 6)


@settings(max_examples=80, deadline=None)
@given(pools_and_many_needs(), st.integers(1, 40))
def test_keeping_only_each_requests_best_pairs_never_changes_the_best_assignment(
    pool_and_needs, chunk_pairs
):
    pool, needs = pool_and_needs
    every = candidates_for(pool, needs, Weights(), capped=False)
    capped = candidates_for(pool, needs, Weights(), chunk_pairs=chunk_pairs)

    assert set(triples(capped)) <= set(triples(every))
    assert best_of(pool, needs, capped) == best_of(pool, needs, every)


@settings(max_examples=60, deadline=None)
@given(pools_and_many_needs(), st.integers(1, 40))
def test_a_batch_scores_each_pair_as_the_shortlist_scores_it_whatever_the_chunks(
    pool_and_needs, chunk_pairs
):
    pool, needs = pool_and_needs
    batch = candidates_for(pool, needs, Weights(), capped=False, chunk_pairs=chunk_pairs)

    one_by_one = []
    for index, need in enumerate(needs):
        rows = np.flatnonzero(feasible(pool, need))
        totals = np.round(criteria_parts(pool, need, rows) @ Weights().vector(), 3)
        one_by_one += [
            (index, int(row), float(total)) for row, total in zip(rows, totals, strict=True)
        ]
    assert triples(batch) == sorted(one_by_one)


@settings(max_examples=100, deadline=None)
@given(pools_and_needs(), st.integers(0, 6), st.integers(0, 6))
def test_the_page_shows_the_same_first_supporters_as_a_full_sort(pool_and_need, limit, left_out):
    pool, need = pool_and_need
    hidden = pool.ids % 5 == 0
    page = shortlist_page(pool, need, Weights(), limit=limit, left_out=left_out, hidden=hidden)

    everyone = rank(pool, need, Weights())
    assert page.ranked.rows.tolist() == everyone.rows[:limit].tolist()
    assert page.ranked.points.tolist() == everyone.points[:limit].tolist()
    assert page.ranked.count == len(everyone.rows)
    broken = np.sum(list(hard_masks(pool, need).values()), axis=0)
    left = np.flatnonzero((broken > 0) & ~hidden)
    nearest = left[np.lexsort((pool.ids[left], broken[left]))]
    assert page.left_out.tolist() == nearest[:left_out].tolist()
    assert page.left_out_count == len(left)
