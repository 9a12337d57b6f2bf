"""Switching the conversation's language on request, saved on the family record."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.common import db, language_of, latest_text
from bot.core.language import ENABLED_LANGUAGES, detect_language, requested_language


class ActionSwitchLanguage(Action):
    """ "En español, por favor": answer in that language from now on.

    It only sets the language; the rule's next step, `utter_language_switched`, is then
    rendered in the new language (a response uttered by this action would not be).
    """

    def name(self) -> str:
        return "action_switch_language"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        from bot.store import set_conversation_language

        text = latest_text(tracker)
        wanted = requested_language(text) or detect_language(text)
        if wanted not in ENABLED_LANGUAGES:
            # A language we cannot speak yet: keep the current one (the reply says which).
            wanted = language_of(tracker)
        with db() as session:
            set_conversation_language(
                session=session, conversation_id=tracker.sender_id, language=wanted
            )
        return [SlotSet("language", wanted)]
