"""Helpers every action shares: the family's language, a fresh answer, a database session."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from rasa_sdk import Tracker

from bot.core.language import ENABLED_LANGUAGES

# Actions of the check-in form itself: anything else after the family's message means a
# digression already answered it.
FORM_ACTIONS = frozenset({"checkin_form", "validate_checkin_form", "action_listen"})


def language_of(tracker: Tracker) -> str:
    """The conversation's language, falling back to the first enabled one."""
    value = tracker.get_slot("language")
    return value if value in ENABLED_LANGUAGES else ENABLED_LANGUAGES[0]


def latest_text(tracker: Tracker) -> str:
    """The family's latest message text ("" when there is none)."""
    return (tracker.latest_message or {}).get("text") or ""


def latest_intent(tracker: Tracker) -> tuple[str | None, float]:
    """The model's intent for the latest message and its confidence."""
    intent = (tracker.latest_message or {}).get("intent") or {}
    return intent.get("name"), float(intent.get("confidence") or 0.0)


def is_fresh_answer(tracker: Tracker) -> bool:
    """True when no other action has handled the family's latest message yet."""
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            return True
        if event.get("event") == "action" and event.get("name") not in FORM_ACTIONS:
            return False
    return False


@contextmanager
def db() -> Iterator[Any]:
    """One database session per action run (STYLE habit 2), committed on success."""
    from bot.store import session_scope

    with session_scope() as session:
        yield session
