"""Start of a conversation session: load the family's language and names from the database."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActionExecuted, EventType, SessionStarted, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.common import db
from bot.core.language import ENABLED_LANGUAGES

# Slots of the previous check-in that must not leak into a new one.
CHECKIN_SLOTS = (
    "feeling",
    "rating",
    "rating_attempts",
    "barriers_text",
    "barriers",
    "follow_up",
    "follow_up_attempts",
    "feedback",
    "requested_slot",
)


class ActionSessionStart(Action):
    """Personalise the session from the family record; the tracker never sees contact data."""

    def name(self) -> str:
        return "action_session_start"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        from bot.settings import get_settings
        from bot.store import conversation_context

        with db() as session:
            context = conversation_context(session=session, conversation_id=tracker.sender_id)
        language = context.language if context and context.language in ENABLED_LANGUAGES else None
        language = language or tracker.get_slot("language") or get_settings().default_language
        events: list[EventType] = [SessionStarted()]
        events.append(SlotSet("language", language))
        events.append(SlotSet("school_name", context.school_name if context else None))
        events.append(SlotSet("child_name", context.child_first_name if context else None))
        events.extend(SlotSet(slot, None) for slot in CHECKIN_SLOTS)
        events.append(SlotSet("checkin_started", False))
        events.append(ActionExecuted("action_listen"))
        return events
