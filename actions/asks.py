"""The check-in's questions: each one a named response, personalised when we know the names."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.common import db, language_of
from bot.core import checkin
from bot.core.feeling import feeling_tone
from bot.core.sms import count_segments

# A reflection with resources must stay one SMS in GSM-7 languages, two otherwise.
RESOURCE_BUDGET_SEGMENTS = {"en": 1, "ht": 1}
REFLECTION_ALLOWANCE = 45  # characters the response wraps around the resource list


class ActionAskFeeling(Action):
    """The opening: a warm check-in that never starts with absences (SPEC 2, step 1)."""

    def name(self) -> str:
        return "action_ask_feeling"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        from bot.store import start_checkin

        with db() as session:
            start_checkin(
                session=session,
                conversation_id=tracker.sender_id,
                channel=_channel(tracker),
                language=language_of(tracker),
            )
        school = tracker.get_slot("school_name")
        if school:
            dispatcher.utter_message(response="utter_opening", school_name=school)
        else:
            dispatcher.utter_message(response="utter_opening_generic")
        return [SlotSet("checkin_started", True)]


class ActionAskRating(Action):
    """Acknowledge the feeling, then ask for the 1-10 rating (re-asked gently when unclear)."""

    def name(self) -> str:
        return "action_ask_rating"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        if int(tracker.get_slot("rating_attempts") or 0) > 0:
            dispatcher.utter_message(response="utter_rating_retry")
            return []
        feeling = tracker.get_slot("feeling")
        if feeling and _just_answered(tracker, "feeling"):
            tone = feeling_tone(feeling, language_of(tracker))
            dispatcher.utter_message(response=checkin.acknowledgement_response(tone))
        child = tracker.get_slot("child_name")
        if child:
            dispatcher.utter_message(response="utter_ask_rating", child_name=child)
        else:
            dispatcher.utter_message(response="utter_ask_rating_generic")
        return []


class ActionAskBarriersText(Action):
    """The open barrier question; after a low rating it opens with empathy."""

    def name(self) -> str:
        return "action_ask_barriers_text"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        rating = tracker.get_slot("rating")
        dispatcher.utter_message(
            response=checkin.barrier_question_response(rating if isinstance(rating, int) else None)
        )
        return []


class ActionAskFollowUp(Action):
    """Reflect what was heard, offer matching resources, and offer a follow-up (yes/no)."""

    def name(self) -> str:
        return "action_ask_follow_up"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        if int(tracker.get_slot("follow_up_attempts") or 0) > 0:
            dispatcher.utter_message(response="utter_follow_up_retry")
            return []
        barriers = [code for code in tracker.get_slot("barriers") or [] if code != "other"]
        language = language_of(tracker)
        if tracker.get_slot("barriers"):
            resources = _resource_lines(tracker.sender_id, barriers, language)
            if resources:
                dispatcher.utter_message(
                    response="utter_reflect_with_resources", resources=resources
                )
            else:
                dispatcher.utter_message(response="utter_reflect_barriers")
        else:
            dispatcher.utter_message(response="utter_reflect_no_barriers")
        dispatcher.utter_message(response="utter_ask_follow_up")
        return []


class ActionAskFeedback(Action):
    """The feedback question (SPEC 2, step 9)."""

    def name(self) -> str:
        return "action_ask_feedback"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        dispatcher.utter_message(response="utter_ask_feedback")
        return []


def _channel(tracker: Tracker) -> str:
    channel = tracker.get_latest_input_channel() or "rest"
    return channel if channel in {"rest", "sms", "telegram", "simulator"} else "rest"


def _just_answered(tracker: Tracker, slot: str) -> bool:
    """True when the slot was filled by the family's latest message."""
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            return False
        if event.get("event") == "slot" and event.get("name") == slot:
            return True
    return False


def _resource_lines(conversation_id: str, barriers: list[str], language: str) -> str:
    """Directory entries for the named barriers, as many as fit the SMS budget."""
    from bot.store import Conversation, resources_for

    if not barriers:
        return ""
    with db() as session:
        conversation = session.get(Conversation, conversation_id)
        school_id = None
        if conversation is not None and conversation.family is not None:
            school_id = conversation.family.school_id
        found = resources_for(
            session=session, barriers=barriers, language=language, school_id=school_id
        )
    budget = RESOURCE_BUDGET_SEGMENTS.get(language, 2)
    lines: list[str] = []
    for resource in found:
        line = " ".join(part for part in (resource.text, resource.phone) if part)
        candidate = "; ".join([*lines, line])
        if count_segments("x" * REFLECTION_ALLOWANCE + candidate) > budget and lines:
            break
        lines.append(line)
    return "; ".join(lines)
