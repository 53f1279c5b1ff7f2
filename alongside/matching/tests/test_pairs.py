"""A batch's candidate pairs: the cap keeps exactly each request's best pairs, however the
pairs are cut into blocks (a large group's requests sharing their supporters, small groups
packed together)."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from alongside.matching.pairs import CHUNK_PAIRS, candidates_for
from alongside.matching.scoring import NONE, Need, SupporterPool, Weights
from alongside.matching.tests.test_scoring import pools_and_many_needs, triples


def kept_by_the_rule(pool: SupporterPool, request_count: int, every) -> list:
    """Each request's pairs by score (ties: the pool's order), kept while the places held
    before a pair are under min(requests, places of the pool), one pair at a time."""
    free = pool.free_places
    cap = min(request_count, int(free[pool.ready & (free > 0)].sum()))
    kept = []
    for request in range(request_count):
        mine = sorted(
            ((score, row) for index, row, score in triples(every) if index == request),
            key=lambda pair: (-pair[0], pair[1]),
        )
        held = 0
        for score, row in mine:
            if held < cap:
                kept.append((request, row, score))
            held += int(free[row])
    return sorted(kept)


def assert_each_requests_pairs_are_together_in_the_pools_order(candidates) -> None:
    requests = candidates.requests.tolist()
    runs = [request for at, request in enumerate(requests) if requests[at - 1 : at] != [request]]
    assert len(runs) == len(set(runs))
    for request in runs:
        rows = candidates.supporters[candidates.requests == request]
        assert (np.diff(rows) > 0).all()


@settings(max_examples=80, deadline=None)
@given(pools_and_many_needs(), st.sampled_from([1, 3, 8, 40, CHUNK_PAIRS]))
def test_each_request_keeps_exactly_its_best_pairs_up_to_the_places_anyone_could_need(
    pool_and_needs, chunk_pairs
):
    pool, needs = pool_and_needs
    every = candidates_for(pool, needs, Weights(), capped=False, chunk_pairs=chunk_pairs)
    capped = candidates_for(pool, needs, Weights(), chunk_pairs=chunk_pairs)

    assert triples(capped) == kept_by_the_rule(pool, len(needs), every)
    assert_each_requests_pairs_are_together_in_the_pools_order(capped)


def crowded_world(seed: int) -> tuple[SupporterPool, list[Need]]:
    """400 supporters, 120 requests, few languages, ways and times: many pairs per request,
    many equal scores, some firm preferences, sites to avoid and declines."""
    rng = np.random.default_rng(seed)
    size = 400
    pick = lambda values: rng.choice(values, size)  # noqa: E731
    relationships = np.zeros((size, 3), dtype=np.int8)
    relationships[np.arange(size), pick([0, 1, 2])] = pick([1, 2, 4])
    capacity = pick([1, 2, 3])
    pool = SupporterPool(
        ids=np.arange(1, size + 1, dtype=np.int64),
        ready=rng.random(size) < 0.9,
        languages=pick([1, 1, 2, 3]),
        methods=pick([1, 2, 3]),
        relationships=relationships,
        years_lived=np.where(relationships > 0, pick([2, 5, 12]).reshape(-1, 1), 0).astype(
            np.float32
        ),
        role=pick([NONE, 0, 1]),
        site=pick([NONE, 0, 1, 2]),
        region=pick([0, 1]),
        utc_offset_minutes=pick([-300, -240]),
        birth_year=pick([0, 1960, 1980, 2000]),
        gender=pick([0, 1, 2]),
        availability=pick([0, 1, 2, 3, 6]),
        capacity=capacity,
        open_matches=rng.integers(0, capacity + 1),
        accepts_genders=pick([0, 0, 0, 1, 2]),
        accepts_relationships=pick([0, 0, 0, 0, 2]),
        pledge_used=pick([0.0, 0.5, 1.5]),
    )
    needs = [
        Need(
            languages=int(rng.choice([1, 2, 3])),
            methods=int(rng.choice([1, 2, 3])),
            family=int(rng.choice([NONE, 0, 1, 2])),
            relationship=int(rng.choice([1, 2, 4])),
            role=int(rng.choice([NONE, 0, 1])),
            site=int(rng.choice([NONE, 0, 1])),
            region=int(rng.choice([NONE, 0, 1])),
            birth_year=int(rng.choice([0, 1970, 1990])),
            gender=int(rng.choice([NONE, 0, 1])),
            gender_wanted=int(rng.choice([NONE, 0, 1])),
            gender_is_firm=bool(rng.random() < 0.3),
            availability=int(rng.choice([0, 1, 2, 4])),
            exclude_same_site=bool(rng.random() < 0.5),
            declined=frozenset(rng.choice(size, 3).tolist()) if rng.random() < 0.2 else frozenset(),
            urgency=float(rng.choice([0.0, 0.5, 1.0])),
        )
        for _ in range(120)
    ]
    return pool, needs


@pytest.mark.parametrize("chunk_pairs", [CHUNK_PAIRS, 4096, 200])
def test_a_crowded_world_keeps_the_same_best_pairs_however_it_is_cut_into_blocks(chunk_pairs):
    pool, needs = crowded_world(seed=chunk_pairs)
    every = candidates_for(pool, needs, Weights(), capped=False, chunk_pairs=chunk_pairs)
    capped = candidates_for(pool, needs, Weights(), chunk_pairs=chunk_pairs)

    assert len(capped.scores) < len(every.scores)  # the cap is at work
    assert triples(capped) == kept_by_the_rule(pool, len(needs), every)
    assert_each_requests_pairs_are_together_in_the_pools_order(capped)
    one_block_each = candidates_for(pool, needs, Weights(), capped=False, chunk_pairs=1)
    assert triples(every) == triples(one_block_each)
