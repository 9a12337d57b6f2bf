"""Validation of the check-in form: reads each answer, saves it at once, escalates by the rules."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import FormValidationAction
from rasa_sdk.types import DomainDict

from actions.common import db, is_fresh_answer, language_of, latest_intent, latest_text
from bot.core import checkin, escalation
from bot.core.barriers import code_barriers
from bot.core.rating import parse_rating

Slots = dict[str, Any]


class ValidateCheckinForm(FormValidationAction):
    """Turns free answers into the check-in record (SPEC sections 2-4)."""

    def name(self) -> str:
        return "validate_checkin_form"

    async def required_slots(
        self,
        domain_slots: list[str],
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> list[str]:
        """Stop after two misunderstood yes/no answers; skip the rating after three asks."""
        if _attempts(tracker, "follow_up_attempts") >= escalation.FALLBACK_LIMIT:
            return []
        if _attempts(tracker, "rating_attempts") >= checkin.MAX_RATING_ASKS:
            return [slot for slot in domain_slots if slot != "rating"]
        return domain_slots

    # --- extraction: only a fresh answer to the open question, never a digression ---------
    def _answer_for(self, tracker: Tracker, step: str) -> Slots:
        if tracker.get_slot("requested_slot") != step or not is_fresh_answer(tracker):
            return {}
        text = latest_text(tracker)
        intent, confidence = latest_intent(tracker)
        if not text.strip() or checkin.is_digression(step, text, intent, confidence):
            return {}
        return {step: text}

    async def extract_feeling(self, dispatcher, tracker, domain) -> Slots:  # type: ignore[no-untyped-def]
        return self._answer_for(tracker, "feeling")

    async def extract_rating(self, dispatcher, tracker, domain) -> Slots:  # type: ignore[no-untyped-def]
        return self._answer_for(tracker, "rating")

    async def extract_barriers_text(self, dispatcher, tracker, domain) -> Slots:  # type: ignore[no-untyped-def]
        return self._answer_for(tracker, "barriers_text")

    async def extract_follow_up(self, dispatcher, tracker, domain) -> Slots:  # type: ignore[no-untyped-def]
        return self._answer_for(tracker, "follow_up")

    async def extract_feedback(self, dispatcher, tracker, domain) -> Slots:  # type: ignore[no-untyped-def]
        return self._answer_for(tracker, "feedback")

    # --- validation: save as we go, so a family that drops off still leaves a record ------
    async def validate_feeling(self, value, dispatcher, tracker, domain) -> Slots:  # type: ignore[no-untyped-def]
        text = str(value)
        slots: Slots = {"feeling": text}
        fields: Slots = {"feeling_text": text}
        rating = parse_rating(text, language_of(tracker), strict=True)
        if rating is not None:  # "we're fine, 8/10": the family answered two steps at once
            slots["rating"] = rating
            fields["rating"] = rating
        _save(tracker, fields, escalation.reasons_for_rating(rating))
        return slots

    async def validate_rating(self, value, dispatcher, tracker, domain) -> Slots:  # type: ignore[no-untyped-def]
        text = str(value)
        attempts = _attempts(tracker, "rating_attempts") + 1
        rating = parse_rating(text, language_of(tracker))
        if rating is None:
            _save(tracker, {"rating_attempts": attempts}, [])
            return {"rating": None, "rating_attempts": float(attempts)}
        slots: Slots = {"rating": rating, "rating_attempts": float(attempts)}
        fields: Slots = {"rating": rating, "rating_attempts": attempts}
        reasons = escalation.reasons_for_rating(rating)
        beside = checkin.barriers_beside_rating(text)
        if beside:  # "6, the bus keeps coming late": don't ask again for what was given
            slots.update(barriers_text=text, barriers=beside)
            fields.update(barrier_text=text, barriers=beside)
            reasons += escalation.reasons_for_barriers(beside)
        _save(tracker, fields, reasons)
        return slots

    async def validate_barriers_text(self, value, dispatcher, tracker, domain) -> Slots:  # type: ignore[no-untyped-def]
        text = str(value)
        codes = code_barriers(text, language_of(tracker))
        _save(
            tracker,
            {"barrier_text": text, "barriers": codes},
            escalation.reasons_for_barriers(codes),
        )
        return {"barriers_text": text, "barriers": codes}

    async def validate_follow_up(self, value, dispatcher, tracker, domain) -> Slots:  # type: ignore[no-untyped-def]
        answer = checkin.read_yes_no(str(value), language_of(tracker))
        if answer is None:
            failures = _attempts(tracker, "follow_up_attempts") + 1
            if escalation.should_escalate_fallback(failures):
                _hand_off(tracker, "fallback")
                dispatcher.utter_message(response="utter_fallback_handoff")
            return {"follow_up": None, "follow_up_attempts": float(failures)}
        _save(tracker, {"follow_up_requested": answer}, escalation.reasons_for_follow_up(answer))
        dispatcher.utter_message(response="utter_follow_up_yes" if answer else "utter_follow_up_no")
        return {"follow_up": answer}

    async def validate_feedback(self, value, dispatcher, tracker, domain) -> Slots:  # type: ignore[no-untyped-def]
        text = str(value)
        helpful = checkin.read_yes_no(text, language_of(tracker))
        _save(tracker, {"helpful": helpful, "helpful_text": text}, [])
        return {"feedback": text}


def _attempts(tracker: Tracker, slot: str) -> int:
    return int(tracker.get_slot(slot) or 0)


def _save(tracker: Tracker, fields: Slots, reasons: list[str]) -> None:
    """Write the answer onto the check-in and record any escalation it triggers."""
    from bot.store import escalate, update_checkin

    with db() as session:
        update_checkin(session=session, conversation_id=tracker.sender_id, **fields)
        if reasons:
            escalate(
                session=session,
                conversation_id=tracker.sender_id,
                reasons=reasons,
                priority=escalation.priority_for(reasons),
            )


def _hand_off(tracker: Tracker, reason: str) -> None:
    """Escalate and pause the bot: from now on a person at school answers."""
    from bot.store import escalate, pause_conversation

    with db() as session:
        escalate(
            session=session,
            conversation_id=tracker.sender_id,
            reasons=[reason],
            priority=escalation.priority_for([reason]),
        )
        pause_conversation(session=session, conversation_id=tracker.sender_id, reason=reason)
