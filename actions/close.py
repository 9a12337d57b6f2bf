"""The end of the check-in, and messages that arrive after it."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, FollowupAction
from rasa_sdk.executor import CollectingDispatcher

from actions.common import db, latest_intent
from bot.core import escalation


class ActionCompleteCheckin(Action):
    """Mark the check-in complete and close warmly, unless a person has taken over."""

    def name(self) -> str:
        return "action_complete_checkin"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        from bot.store import is_paused, update_checkin

        with db() as session:
            if is_paused(session=session, conversation_id=tracker.sender_id):
                return []
            update_checkin(session=session, conversation_id=tracker.sender_id, completed=True)
        dispatcher.utter_message(response="utter_close")
        return []


class ActionUnhandled(Action):
    """Anything no rule covers: thanks get a kind word, two misunderstandings a person."""

    def name(self) -> str:
        return "action_unhandled"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        intent, _ = latest_intent(tracker)
        if intent == "nlu_fallback":
            if escalation.should_escalate_fallback(_consecutive_fallbacks(tracker)):
                from actions.handoff import hand_off

                hand_off(tracker.sender_id, "fallback")
                dispatcher.utter_message(response="utter_fallback_handoff")
            else:
                dispatcher.utter_message(response="utter_rephrase")
        elif intent in {"thank", "goodbye"}:
            dispatcher.utter_message(response="utter_youre_welcome")
        else:
            dispatcher.utter_message(response="utter_after_close")
        return [FollowupAction("action_listen")]


def _consecutive_fallbacks(tracker: Tracker) -> int:
    """How many of the family's latest messages in a row the model did not understand."""
    count = 0
    for event in reversed(tracker.events):
        if event.get("event") != "user":
            continue
        name = ((event.get("parse_data") or {}).get("intent") or {}).get("name")
        if name != "nlu_fallback":
            break
        count += 1
    return count
