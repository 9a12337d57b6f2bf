"""Hand-offs to a person at school: on request, and on a crisis the model recognised."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActiveLoop, EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.common import db
from bot.core import escalation


def hand_off(conversation_id: str, reason: str) -> None:
    """Escalate with the reason and pause the bot; staff hand the conversation back."""
    from bot.store import escalate, pause_conversation

    with db() as session:
        escalate(
            session=session,
            conversation_id=conversation_id,
            reasons=[reason],
            priority=escalation.priority_for([reason]),
        )
        pause_conversation(session=session, conversation_id=conversation_id, reason=reason)


def _end_form(tracker: Tracker) -> list[EventType]:
    if tracker.active_loop.get("name"):
        return [ActiveLoop(None), SlotSet("requested_slot", None)]
    return []


class ActionHandoff(Action):
    """ "Talk to a person": escalate as `requested` and let staff answer from here on."""

    def name(self) -> str:
        return "action_handoff"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        hand_off(tracker.sender_id, "requested")
        dispatcher.utter_message(response="utter_handoff")
        return _end_form(tracker)


class ActionCrisis(Action):
    """A crisis the model recognised beyond the deterministic gate: the same safety reply."""

    def name(self) -> str:
        return "action_crisis"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        hand_off(tracker.sender_id, "crisis")
        dispatcher.utter_message(response="utter_crisis_safety")
        dispatcher.utter_message(response="utter_crisis_follow_up")
        return _end_form(tracker)
