"""Escalation reasons and priority (SPEC section 4): canonical order, no duplicates, no typos."""

from __future__ import annotations

import pytest

from bot.core.escalation import (
    FALLBACK_LIMIT,
    REASONS,
    merge_reasons,
    priority_for,
    reasons_for_barriers,
    reasons_for_follow_up,
    reasons_for_rating,
    should_escalate_fallback,
)


def test_reasons_are_the_spec_codes_in_order() -> None:
    assert REASONS == ("crisis", "requested", "low_rating", "serious_barrier", "fallback")
    assert FALLBACK_LIMIT == 2


@pytest.mark.parametrize(
    ("rating", "expected"),
    [
        (1, ["low_rating"]),
        (2, ["low_rating"]),
        (3, ["low_rating"]),
        (4, []),
        (7, []),
        (10, []),
        (None, []),
    ],
)
def test_reasons_for_rating(rating: int | None, expected: list[str]) -> None:
    assert reasons_for_rating(rating) == expected


@pytest.mark.parametrize("rating", [0, 11, -3, True])
def test_out_of_range_rating_is_a_bug(rating: int) -> None:
    with pytest.raises(ValueError):
        reasons_for_rating(rating)


@pytest.mark.parametrize(
    ("codes", "expected"),
    [
        ([], []),
        (["transportation"], []),
        (["health", "sleep_routine", "other"], []),
        (["housing"], ["serious_barrier"]),
        (["basic_needs"], ["serious_barrier"]),
        (["bullying_safety"], ["serious_barrier"]),
        (["transportation", "housing", "basic_needs"], ["serious_barrier"]),
        (("caregiving", "bullying_safety"), ["serious_barrier"]),
    ],
)
def test_reasons_for_barriers(codes: list[str], expected: list[str]) -> None:
    assert reasons_for_barriers(codes) == expected


def test_unknown_barrier_code_is_a_bug() -> None:
    with pytest.raises(ValueError, match="homeless"):
        reasons_for_barriers(["homeless"])


@pytest.mark.parametrize(("answer", "expected"), [(True, ["requested"]), (False, []), (None, [])])
def test_reasons_for_follow_up(answer: bool | None, expected: list[str]) -> None:
    assert reasons_for_follow_up(answer) == expected


@pytest.mark.parametrize(("failures", "expected"), [(0, False), (1, False), (2, True), (3, True)])
def test_fallback_escalates_after_two_misunderstandings(failures: int, expected: bool) -> None:
    assert should_escalate_fallback(failures) is expected


@pytest.mark.parametrize(
    ("existing", "new", "expected"),
    [
        ([], [], []),
        ([], ["low_rating"], ["low_rating"]),
        (["fallback"], ["crisis"], ["crisis", "fallback"]),
        (["low_rating", "requested"], ["requested"], ["requested", "low_rating"]),
        (
            ["serious_barrier", "low_rating"],
            ["fallback", "crisis", "requested"],
            ["crisis", "requested", "low_rating", "serious_barrier", "fallback"],
        ),
        (("crisis", "crisis"), (), ["crisis"]),
    ],
)
def test_merge_reasons(existing: list[str], new: list[str], expected: list[str]) -> None:
    assert merge_reasons(existing, new) == expected


@pytest.mark.parametrize(("existing", "new"), [(["urgent"], []), ([], ["low rating"])])
def test_merge_refuses_unknown_reasons(existing: list[str], new: list[str]) -> None:
    with pytest.raises(ValueError, match="unknown escalation reason"):
        merge_reasons(existing, new)


@pytest.mark.parametrize(
    ("reasons", "expected"),
    [
        (["crisis"], "urgent"),
        (["low_rating", "crisis"], "urgent"),
        (["requested"], "high"),
        (["serious_barrier"], "high"),
        (["fallback"], "high"),
        (["low_rating", "serious_barrier"], "high"),
        (["low_rating"], "normal"),
        ([], "normal"),
    ],
)
def test_priority_for(reasons: list[str], expected: str) -> None:
    assert priority_for(reasons) == expected


def test_priority_refuses_unknown_reasons() -> None:
    with pytest.raises(ValueError):
        priority_for(["emergency"])
