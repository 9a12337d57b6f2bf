"""When a check-in goes to a person, why, and how urgently (SPEC section 4).

Reasons always come back in the canonical order of REASONS, without duplicates, so the
stored list and the export are stable. Unknown reasons, barrier codes or out-of-range
ratings raise ValueError: they are bugs in the caller, not family input.
"""

from __future__ import annotations

from collections.abc import Iterable

from bot.core.barriers import BARRIER_CODES, SERIOUS_BARRIERS
from bot.core.rating import RATING_MAX, RATING_MIN

REASONS: tuple[str, ...] = ("crisis", "requested", "low_rating", "serious_barrier", "fallback")
PRIORITIES: tuple[str, ...] = ("urgent", "high", "normal")
FALLBACK_LIMIT = 2
LOW_RATING_MAX = 3

_HIGH = frozenset({"requested", "serious_barrier", "fallback"})


def _check_reasons(reasons: Iterable[str]) -> list[str]:
    """The reasons as a list, refusing any that SPEC section 4 does not define."""
    listed = list(reasons)
    unknown = sorted(set(listed) - set(REASONS))
    if unknown:
        raise ValueError(f"unknown escalation reason(s) {unknown}; expected any of {REASONS}")
    return listed


def reasons_for_rating(rating: int | None) -> list[str]:
    """A rating of 1-3 means the school experience is hard: a person should reach out."""
    if rating is None:
        return []
    if isinstance(rating, bool) or not RATING_MIN <= rating <= RATING_MAX:
        raise ValueError(f"rating must be {RATING_MIN}-{RATING_MAX} or None, got {rating!r}")
    return ["low_rating"] if rating <= LOW_RATING_MAX else []


def reasons_for_barriers(codes: Iterable[str]) -> list[str]:
    """Housing, basic needs and safety barriers need a person, not just a resource link."""
    listed = list(codes)
    unknown = sorted(set(listed) - set(BARRIER_CODES))
    if unknown:
        raise ValueError(f"unknown barrier code(s) {unknown}; expected any of {BARRIER_CODES}")
    return ["serious_barrier"] if SERIOUS_BARRIERS.intersection(listed) else []


def reasons_for_follow_up(answer: bool | None) -> list[str]:
    """A yes to "would you like someone from school to follow up?" is a request for a person."""
    return ["requested"] if answer is True else []


def should_escalate_fallback(consecutive_failures: int) -> bool:
    """Two misunderstandings in a row: stop guessing and hand over to a person."""
    return consecutive_failures >= FALLBACK_LIMIT


def merge_reasons(existing: Iterable[str], new: Iterable[str]) -> list[str]:
    """Union of reasons in canonical order, so repeated escalations never duplicate a reason."""
    present = set(_check_reasons(existing)) | set(_check_reasons(new))
    return [reason for reason in REASONS if reason in present]


def priority_for(reasons: Iterable[str]) -> str:
    """Inbox priority: crisis is urgent, a family waiting on a person is high, else normal."""
    present = set(_check_reasons(reasons))
    if "crisis" in present:
        return "urgent"
    if present & _HIGH:
        return "high"
    return "normal"
