"""The check-in's turn-by-turn decisions (SPEC section 2), pure so they can be table-tested."""

from __future__ import annotations

from bot.core.answers import parse_yes_no
from bot.core.barriers import code_barriers
from bot.core.language import requested_language
from bot.core.rating import parse_rating

STEPS = ("feeling", "rating", "barriers_text", "follow_up", "feedback")

# Intents that are not an answer to the open question but a detour from it.
DIGRESSION_INTENTS = frozenset(
    {"request_human", "ask_what_is_this", "out_of_scope", "switch_language", "crisis"}
)
# Below this the model is guessing: treat the message as an answer, never lose it.
DIGRESSION_CONFIDENCE = 0.6
# Free-text answers are precious; an "off-topic" guess must be very sure to override one.
FREE_TEXT_OFF_TOPIC_CONFIDENCE = 0.85

# The first ask plus two gentle re-asks; after that the check-in moves on (SPEC 2, step 3).
MAX_RATING_ASKS = 3
LOW_RATING_MAX = 3


def is_digression(step: str | None, text: str, intent: str | None, confidence: float) -> bool:
    """Decide whether a message during the check-in detours from the open question."""
    if requested_language(text):
        return True
    if intent not in DIGRESSION_INTENTS or confidence < DIGRESSION_CONFIDENCE:
        return False
    if intent == "switch_language":
        return True
    if intent == "crisis":
        # The deterministic crisis gate has already read this message; a model-only crisis
        # that names an ordinary barrier ("mi hijo tiene asma") is an answer, not an alarm.
        return not _named_barriers(text)
    if step == "rating" and parse_rating(text) is not None:
        return False
    if step == "follow_up" and parse_yes_no(text) is not None:
        return False
    if step in {"feeling", "barriers_text", "feedback"}:
        if _named_barriers(text):
            return False
        if intent == "out_of_scope":
            return confidence >= FREE_TEXT_OFF_TOPIC_CONFIDENCE
    return True


def _named_barriers(text: str) -> list[str]:
    """Barrier codes a message names, leaving out the catch-all `other`."""
    return [code for code in code_barriers(text) if code != "other"]


def barriers_beside_rating(text: str) -> list[str]:
    """Barriers named in the same message as a rating ("8, but the bus is late")."""
    return _named_barriers(text)


def is_low_rating(rating: int | None) -> bool:
    """A 1-3 rating changes the barrier question's wording and escalates (SPEC 2, 4)."""
    return rating is not None and 1 <= rating <= LOW_RATING_MAX


def acknowledgement_response(tone: str) -> str:
    """The named response that acknowledges the feeling a family shared."""
    return {
        "positive": "utter_ack_positive",
        "negative": "utter_ack_negative",
    }.get(tone, "utter_ack_neutral")


def barrier_question_response(rating: int | None) -> str:
    """The barrier question, opened with empathy after a low rating."""
    return "utter_ask_barriers_low_rating" if is_low_rating(rating) else "utter_ask_barriers"


def read_yes_no(text: str, language: str | None = None) -> bool | None:
    """A yes/no answer from the family's own words only.

    The model's affirm/deny is not used: it is confidently wrong on words it has never
    seen ("purple" -> affirm), and a wrong "yes" would promise a call that never comes.
    """
    return parse_yes_no(text, language)
