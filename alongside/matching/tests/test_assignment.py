"""The whole-pool assignment: capacities, optimality against brute force and the peers."""

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from alongside.matching import assignment
from alongside.matching.assignment import (
    UNMATCHED,
    Assignment,
    Candidates,
    assign_greedy,
    assign_in_order,
    assign_optimal,
)


@st.composite
def instances(draw, max_requests=6, max_supporters=4):
    request_count = draw(st.integers(1, max_requests))
    supporter_count = draw(st.integers(1, max_supporters))
    capacity = np.array(
        draw(st.lists(st.integers(0, 3), min_size=supporter_count, max_size=supporter_count)),
        dtype=np.int64,
    )
    pairs = draw(
        st.sets(
            st.tuples(st.integers(0, request_count - 1), st.integers(0, supporter_count - 1)),
            max_size=20,
        )
    )
    pairs = sorted(pairs)
    scores = draw(st.lists(st.integers(0, 100), min_size=len(pairs), max_size=len(pairs)))
    candidates = Candidates(
        requests=np.array([p[0] for p in pairs], dtype=np.int64),
        supporters=np.array([p[1] for p in pairs], dtype=np.int64),
        scores=np.array(scores, dtype=np.float64),
    )
    return request_count, capacity, candidates


def assert_respects_capacity_and_candidates(result: Assignment, capacity, candidates) -> None:
    matched = result.supporter_for != UNMATCHED
    used = np.bincount(result.supporter_for[matched], minlength=len(capacity))
    assert (used <= capacity).all()
    allowed = set(zip(candidates.requests.tolist(), candidates.supporters.tolist(), strict=True))
    for request in np.flatnonzero(matched):
        assert (int(request), int(result.supporter_for[request])) in allowed


def brute_force_best(request_count, capacity, candidates) -> tuple[int, float]:
    options = {r: [(-1, 0.0)] for r in range(request_count)}
    for r, s, v in zip(candidates.requests, candidates.supporters, candidates.scores, strict=True):
        options[int(r)].append((int(s), float(v)))
    best = (0, 0.0)
    for choice in itertools.product(*options.values()):
        used = np.zeros(len(capacity), dtype=np.int64)
        for supporter, _ in choice:
            if supporter >= 0:
                used[supporter] += 1
        if (used <= capacity).all():
            matched = sum(1 for supporter, _ in choice if supporter >= 0)
            best = max(best, (matched, round(sum(v for _, v in choice), 6)))
    return best


@settings(max_examples=150, deadline=None)
@given(instances())
def test_the_optimal_assignment_is_the_best_possible_and_breaks_no_capacity(instance):
    request_count, capacity, candidates = instance
    result = assign_optimal(request_count=request_count, capacity=capacity, candidates=candidates)

    assert_respects_capacity_and_candidates(result, capacity, candidates)
    assert (result.matched, round(result.total_score, 6)) == brute_force_best(
        request_count, capacity, candidates
    )


@settings(max_examples=150, deadline=None)
@given(instances(max_requests=12, max_supporters=6))
def test_the_optimal_assignment_is_never_worse_than_greedy_or_by_hand(instance):
    request_count, capacity, candidates = instance
    optimal = assign_optimal(request_count=request_count, capacity=capacity, candidates=candidates)
    greedy = assign_greedy(request_count=request_count, capacity=capacity, candidates=candidates)
    by_hand = assign_in_order(
        request_count=request_count,
        capacity=capacity,
        candidates=candidates,
        request_order=np.arange(request_count),
    )

    for peer in (greedy, by_hand):
        assert_respects_capacity_and_candidates(peer, capacity, candidates)
        assert (optimal.matched, optimal.total_score + 1e-6) >= (peer.matched, peer.total_score)


@settings(max_examples=60, deadline=None)
@given(instances(max_requests=10, max_supporters=5))
def test_the_same_pool_always_gives_the_same_assignment(instance):
    request_count, capacity, candidates = instance
    first = assign_optimal(request_count=request_count, capacity=capacity, candidates=candidates)
    again = assign_optimal(request_count=request_count, capacity=capacity, candidates=candidates)

    assert first.supporter_for.tolist() == again.supporter_for.tolist()


def test_when_places_are_short_the_most_urgent_request_is_matched():
    candidates = Candidates(
        requests=np.array([0, 1, 2]),
        supporters=np.array([0, 0, 0]),
        scores=np.array([90.0, 10.0, 50.0]),
    )
    result = assign_optimal(
        request_count=3,
        capacity=np.array([1]),
        candidates=candidates,
        priority=np.array([0.1, 0.9, 0.2]),
    )

    assert result.supporter_for.tolist() == [UNMATCHED, 0, UNMATCHED]


def test_matching_more_people_comes_before_a_higher_total():
    # One excellent pair would block two fair ones: two people matched is better.
    candidates = Candidates(
        requests=np.array([0, 0, 1]),
        supporters=np.array([0, 1, 0]),
        scores=np.array([100.0, 1.0, 1.0]),
    )
    result = assign_optimal(request_count=2, capacity=np.array([1, 1]), candidates=candidates)

    assert result.supporter_for.tolist() == [1, 0]


def test_a_supporter_with_no_free_place_gets_nobody():
    candidates = Candidates(
        requests=np.array([0]), supporters=np.array([0]), scores=np.array([80.0])
    )
    result = assign_optimal(request_count=1, capacity=np.array([0]), candidates=candidates)

    assert result.supporter_for.tolist() == [UNMATCHED]


@st.composite
def urgent_instances(draw):
    request_count, capacity, candidates = draw(instances(max_requests=6, max_supporters=4))
    priority = np.array(
        draw(
            st.lists(
                st.sampled_from([0.0, 0.2, 0.5, 0.51, 0.9, 1.0]),
                min_size=request_count,
                max_size=request_count,
            )
        )
    )
    return request_count, capacity, candidates, priority


def brute_force_most_urgent(request_count, capacity, candidates, priority):
    """(matched, urgency of the matched in hundredths, total score) at best, by trying all."""
    options = {r: [(-1, 0.0)] for r in range(request_count)}
    for r, s, v in zip(candidates.requests, candidates.supporters, candidates.scores, strict=True):
        options[int(r)].append((int(s), float(v)))
    hundredths = np.rint(priority * 100).astype(int)
    best = (0, 0, 0.0)
    for choice in itertools.product(*options.values()):
        used = np.bincount([s for s, _ in choice if s >= 0], minlength=len(capacity))
        if (used <= capacity).all():
            matched = [r for r, (s, _) in enumerate(choice) if s >= 0]
            urgency = int(sum(hundredths[r] for r in matched))
            best = max(best, (len(matched), urgency, round(sum(v for _, v in choice), 6)))
    return best


def summary(result: Assignment, priority) -> tuple[int, int, float]:
    matched = result.supporter_for != UNMATCHED
    urgency = int(np.rint(priority * 100).astype(int)[matched].sum())
    return result.matched, urgency, round(result.total_score, 6)


@settings(max_examples=150, deadline=None)
@given(urgent_instances())
def test_the_optimum_matches_the_most_people_then_the_most_urgent_then_the_best_total(instance):
    request_count, capacity, candidates, priority = instance
    result = assign_optimal(
        request_count=request_count, capacity=capacity, candidates=candidates, priority=priority
    )

    assert_respects_capacity_and_candidates(result, capacity, candidates)
    assert summary(result, priority) == brute_force_most_urgent(
        request_count, capacity, candidates, priority
    )


@settings(max_examples=120, deadline=None)
@given(urgent_instances(), st.integers(1, 3))
def test_solving_each_requests_best_pairs_first_and_checking_gives_the_same_optimum(
    monkeypatch_instance, first_places
):
    request_count, capacity, candidates, priority = monkeypatch_instance
    direct = assign_optimal(
        request_count=request_count, capacity=capacity, candidates=candidates, priority=priority
    )
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(assignment, "DIRECT_LIMIT", 0)
        patch.setattr(assignment, "FIRST_PLACES", first_places)
        by_rounds = assign_optimal(
            request_count=request_count, capacity=capacity, candidates=candidates, priority=priority
        )

    assert_respects_capacity_and_candidates(by_rounds, capacity, candidates)
    assert summary(by_rounds, priority) == summary(direct, priority)


def test_no_score_makes_up_for_leaving_a_more_urgent_request_waiting():
    # One place; the request that can wait scores 100 with the supporter, the urgent one 0.
    candidates = Candidates(
        requests=np.array([0, 1]), supporters=np.array([0, 0]), scores=np.array([100.0, 0.0])
    )
    result = assign_optimal(
        request_count=2,
        capacity=np.array([1]),
        candidates=candidates,
        priority=np.array([0.50, 0.51]),
    )

    assert result.supporter_for.tolist() == [UNMATCHED, 0]
