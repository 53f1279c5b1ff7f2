"""The score is pure: these tests need no database."""

from dataclasses import replace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from alongside.matching.scoring import (
    DIFFERENT_SITE,
    PER_FREE_PLACE,
    SAME_RELATIONSHIP,
    SHARED_EXPERIENCE,
    SIMILAR_ROLE,
    RequestFeatures,
    Score,
    ScorePart,
    SupporterFeatures,
    reasons_not_eligible,
    score,
)

# A request and a supporter who share nothing that scores, with no room left.
REQUEST = RequestFeatures(
    experience_family="ms",
    relationship="self",
    work_role="",
    site_id=None,
    language="en",
    contact_methods=frozenset({"phone"}),
)
SUPPORTER = SupporterFeatures(
    experience_families=frozenset(),
    work_role="",
    site_id=None,
    languages=frozenset({"en"}),
    contact_methods=frozenset({"phone"}),
    open_matches=2,
    capacity=2,
)


def points(result: Score) -> dict[str, int]:
    return {part.label: part.points for part in result.parts}


# ---- the parts -----------------------------------------------------------------------------


def test_a_supporter_sharing_nothing_and_with_no_room_scores_nothing():
    assert score(REQUEST, SUPPORTER) == Score(parts=())
    assert score(REQUEST, SUPPORTER).total == 0


def test_a_shared_experience_scores_and_says_so():
    supporter = replace(SUPPORTER, experience_families=frozenset({("ms", "family")}))

    assert points(score(REQUEST, supporter)) == {
        "Shares the same lived experience": SHARED_EXPERIENCE
    }


def test_relating_to_it_the_same_way_scores_on_top_of_the_shared_experience():
    supporter = replace(SUPPORTER, experience_families=frozenset({("ms", "self")}))

    assert points(score(REQUEST, supporter)) == {
        "Shares the same lived experience": SHARED_EXPERIENCE,
        "Relates to it the same way": SAME_RELATIONSHIP,
    }


def test_the_same_relationship_to_another_experience_scores_nothing():
    supporter = replace(SUPPORTER, experience_families=frozenset({("parkinsons", "self")}))

    assert score(REQUEST, supporter).parts == ()


def test_a_request_without_an_experience_scores_no_shared_experience():
    request = replace(REQUEST, experience_family=None)
    supporter = replace(SUPPORTER, experience_families=frozenset({("ms", "self")}))

    assert score(request, supporter).parts == ()


def test_a_similar_role_scores_whatever_the_capitals():
    request = replace(REQUEST, work_role="Registered Nurse")
    supporter = replace(SUPPORTER, work_role="registered nurse")

    assert points(score(request, supporter)) == {"Works in a similar role": SIMILAR_ROLE}


def test_no_role_on_either_side_is_not_a_similar_role():
    assert "Works in a similar role" not in points(score(REQUEST, SUPPORTER))


def test_working_at_another_site_scores_for_the_persons_privacy():
    request = replace(REQUEST, site_id=1)

    assert points(score(request, replace(SUPPORTER, site_id=2))) == {
        "Works at another site": DIFFERENT_SITE
    }
    assert score(request, replace(SUPPORTER, site_id=1)).parts == ()
    assert score(request, replace(SUPPORTER, site_id=None)).parts == ()


@pytest.mark.parametrize(
    ("open_matches", "capacity", "expected"),
    [(0, 1, PER_FREE_PLACE), (1, 3, 2 * PER_FREE_PLACE), (0, 10, 3 * PER_FREE_PLACE), (4, 2, 0)],
)
def test_room_for_more_matches_scores_per_free_place_up_to_three(open_matches, capacity, expected):
    supporter = replace(SUPPORTER, open_matches=open_matches, capacity=capacity)

    assert points(score(REQUEST, supporter)).get("Has room for more matches", 0) == expected


def test_the_total_is_the_sum_of_the_parts():
    request = replace(REQUEST, work_role="nurse", site_id=1)
    supporter = replace(
        SUPPORTER,
        experience_families=frozenset({("ms", "self")}),
        work_role="Nurse",
        site_id=2,
        open_matches=0,
    )

    result = score(request, supporter)

    assert result.total == sum(part.points for part in result.parts)
    assert result.total == (
        SHARED_EXPERIENCE + SAME_RELATIONSHIP + SIMILAR_ROLE + DIFFERENT_SITE + 2 * PER_FREE_PLACE
    )


def test_a_score_part_keeps_its_label_and_points():
    assert Score(parts=(ScorePart("a", 2), ScorePart("b", 3))).total == 5


# ---- the hard rules ------------------------------------------------------------------------


def test_a_supporter_who_fits_has_no_reason_not_to_be_matched():
    assert reasons_not_eligible(REQUEST, replace(SUPPORTER, open_matches=0)) == []


def test_a_supporter_who_does_not_speak_the_language_is_not_eligible():
    supporter = replace(SUPPORTER, languages=frozenset({"fr"}), open_matches=0)

    assert reasons_not_eligible(REQUEST, supporter) == ["does not speak the person's language"]


def test_a_supporter_offering_none_of_the_persons_contact_methods_is_not_eligible():
    supporter = replace(SUPPORTER, contact_methods=frozenset({"video"}), open_matches=0)

    assert reasons_not_eligible(REQUEST, supporter) == [
        "offers none of the ways the person wants to be contacted"
    ]


def test_a_person_who_named_no_contact_method_accepts_any():
    request = replace(REQUEST, contact_methods=frozenset())

    assert reasons_not_eligible(request, replace(SUPPORTER, open_matches=0)) == []


def test_a_supporter_at_capacity_is_not_eligible():
    assert reasons_not_eligible(REQUEST, SUPPORTER) == ["has no room for another match"]


def test_every_reason_is_listed():
    supporter = replace(SUPPORTER, languages=frozenset({"fr"}), contact_methods=frozenset())

    assert len(reasons_not_eligible(REQUEST, supporter)) == 3


# ---- properties ----------------------------------------------------------------------------

FAMILIES = st.sampled_from(["ms", "parkinsons", "stroke", "caregiving"])
RELATIONSHIPS = st.sampled_from(["self", "family", "colleague"])
ROLES = st.sampled_from(["", "nurse", "Nurse", "physician", "porter"])
SITES = st.one_of(st.none(), st.integers(1, 3))
LANGUAGES = st.sampled_from(["en", "fr", "es"])
METHODS = st.frozensets(st.sampled_from(["phone", "email", "video", "text"]))

requests = st.builds(
    RequestFeatures,
    experience_family=st.one_of(st.none(), FAMILIES),
    relationship=RELATIONSHIPS,
    work_role=ROLES,
    site_id=SITES,
    language=LANGUAGES,
    contact_methods=METHODS,
)
supporters = st.builds(
    SupporterFeatures,
    experience_families=st.frozensets(st.tuples(FAMILIES, RELATIONSHIPS), max_size=4),
    work_role=ROLES,
    site_id=SITES,
    languages=st.frozensets(LANGUAGES, min_size=1),
    contact_methods=METHODS,
    open_matches=st.integers(0, 30),
    capacity=st.integers(1, 25),
)
HIGHEST_SCORE = (
    SHARED_EXPERIENCE + SAME_RELATIONSHIP + SIMILAR_ROLE + DIFFERENT_SITE + 3 * PER_FREE_PLACE
)


@given(requests, supporters)
def test_the_parts_always_add_up_to_the_total(wanted, offered):
    result = score(wanted, offered)

    assert result.total == sum(part.points for part in result.parts)
    assert all(part.points > 0 and part.label for part in result.parts)
    assert 0 <= result.total <= HIGHEST_SCORE


@given(requests, supporters)
def test_the_score_is_deterministic(wanted, offered):
    assert score(wanted, offered) == score(wanted, offered)
    assert reasons_not_eligible(wanted, offered) == reasons_not_eligible(wanted, offered)


@given(requests, supporters)
def test_each_reason_is_named_at_most_once(wanted, offered):
    reasons = reasons_not_eligible(wanted, offered)

    assert len(reasons) == len(set(reasons))


@given(requests, supporters)
def test_a_supporter_with_no_room_is_never_eligible_and_never_scores_for_room(wanted, offered):
    full = replace(offered, open_matches=max(offered.open_matches, offered.capacity))

    assert "has no room for another match" in reasons_not_eligible(wanted, full)
    assert "Has room for more matches" not in points(score(wanted, full))
