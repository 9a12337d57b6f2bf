"""The check-in's questions, hand-offs, language switch, close and the unhandled path."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from actions.asks import (
    ActionAskBarriersText,
    ActionAskFeedback,
    ActionAskFeeling,
    ActionAskFollowUp,
    ActionAskRating,
)
from actions.close import ActionCompleteCheckin, ActionUnhandled
from actions.handoff import ActionCrisis, ActionHandoff
from actions.language import ActionSwitchLanguage
from actions.session import ActionSessionStart
from bot.store import (
    CheckIn,
    Conversation,
    Escalation,
    get_or_create_conversation,
    is_paused,
    seed_demo,
    session_scope,
    start_checkin,
)
from tests.actions.conftest import make_tracker, run_action, slot_event, user_event

pytestmark = pytest.mark.asyncio

SENDER = "family-2"


def _open_checkin() -> None:
    with session_scope() as session:
        start_checkin(session=session, conversation_id=SENDER, channel="rest", language="en")


def _paused() -> bool:
    with session_scope() as session:
        return is_paused(session=session, conversation_id=SENDER)


def _reasons() -> list[list[str]]:
    with session_scope() as session:
        return [e.reasons for e in session.execute(select(Escalation)).scalars()]


async def test_the_opening_starts_a_checkin_record(app_db, domain):
    tracker = make_tracker(SENDER, text="hi", intent="greet", slots={"requested_slot": "feeling"})
    events, responses = await run_action(ActionAskFeeling(), tracker, domain)
    assert (events, responses) == ([("slot", "checkin_started", True)], ["utter_opening_generic"])
    with session_scope() as session:
        record = session.execute(select(CheckIn)).scalars().one()
        assert (record.conversation_id, record.channel, record.language) == (SENDER, "rest", "en")
        assert record.completed is False


async def test_the_opening_names_the_school_when_known(app_db, domain):
    tracker = make_tracker(SENDER, text="hi", intent="greet", slots={"school_name": "Lincoln"})
    _, responses = await run_action(ActionAskFeeling(), tracker, domain)
    assert responses == ["utter_opening"]


async def test_the_rating_question_acknowledges_the_feeling(app_db, domain):
    tracker = make_tracker(
        SENDER,
        text="rough week, my son has been sick",
        slots={"feeling": "rough week, my son has been sick"},
        after_user=[
            {"event": "action", "name": "checkin_form"},
            slot_event("feeling", "rough week, my son has been sick"),
        ],
    )
    events, responses = await run_action(ActionAskRating(), tracker, domain)
    assert (events, responses) == ([], ["utter_ack_negative", "utter_ask_rating_generic"])


async def test_the_rating_question_uses_the_childs_name(app_db, domain):
    tracker = make_tracker(
        SENDER,
        text="great!",
        slots={"feeling": "great!", "child_name": "Jenna"},
        after_user=[{"event": "action", "name": "checkin_form"}, slot_event("feeling", "great!")],
    )
    _, responses = await run_action(ActionAskRating(), tracker, domain)
    assert responses == ["utter_ack_positive", "utter_ask_rating"]


async def test_a_second_rating_ask_is_a_gentle_retry(app_db, domain):
    tracker = make_tracker(SENDER, text="eleven", slots={"rating_attempts": 1.0, "feeling": "ok"})
    _, responses = await run_action(ActionAskRating(), tracker, domain)
    assert responses == ["utter_rating_retry"]


@pytest.mark.parametrize(
    ("rating", "response"),
    [
        (2, "utter_ask_barriers_low_rating"),
        (3, "utter_ask_barriers_low_rating"),
        (4, "utter_ask_barriers"),
        (None, "utter_ask_barriers"),
    ],
)
async def test_the_barrier_question_opens_with_empathy_after_a_low_rating(
    app_db, domain, rating, response
):
    tracker = make_tracker(SENDER, text="x", slots={"rating": rating})
    _, responses = await run_action(ActionAskBarriersText(), tracker, domain)
    assert responses == [response]


async def test_named_barriers_get_matching_resources_and_the_follow_up_offer(app_db, domain):
    with session_scope() as session:
        seed_demo(session=session)
    tracker = make_tracker(
        SENDER, text="the bus", slots={"barriers": ["transportation"], "barriers_text": "the bus"}
    )
    from rasa_sdk.executor import CollectingDispatcher

    dispatcher = CollectingDispatcher()
    events = await ActionAskFollowUp().run(dispatcher, tracker, domain)
    assert events == []
    assert [m["response"] for m in dispatcher.messages] == [
        "utter_reflect_with_resources",
        "utter_ask_follow_up",
    ]
    assert dispatcher.messages[0]["resources"]  # the directory's text, not empty


async def test_no_barriers_get_a_glad_reflection_and_still_the_offer(app_db, domain):
    tracker = make_tracker(SENDER, text="nothing", slots={"barriers": [], "barriers_text": "no"})
    _, responses = await run_action(ActionAskFollowUp(), tracker, domain)
    assert responses == ["utter_reflect_no_barriers", "utter_ask_follow_up"]


async def test_the_follow_up_retry(app_db, domain):
    tracker = make_tracker(SENDER, text="hm", slots={"follow_up_attempts": 1.0, "barriers": []})
    _, responses = await run_action(ActionAskFollowUp(), tracker, domain)
    assert responses == ["utter_follow_up_retry"]


async def test_the_feedback_question(app_db, domain):
    _, responses = await run_action(ActionAskFeedback(), make_tracker(SENDER), domain)
    assert responses == ["utter_ask_feedback"]


async def test_completing_the_checkin(app_db, domain):
    _open_checkin()
    events, responses = await run_action(ActionCompleteCheckin(), make_tracker(SENDER), domain)
    assert (events, responses) == ([], ["utter_close"])
    with session_scope() as session:
        assert session.execute(select(CheckIn.completed)).scalar_one() is True


async def test_no_close_when_a_person_has_taken_over(app_db, domain):
    _open_checkin()
    await run_action(ActionHandoff(), make_tracker(SENDER, intent="request_human"), domain)
    events, responses = await run_action(ActionCompleteCheckin(), make_tracker(SENDER), domain)
    assert (events, responses) == ([], [])
    with session_scope() as session:
        assert session.execute(select(CheckIn.completed)).scalar_one() is False


async def test_a_request_for_a_person_pauses_the_bot_and_ends_the_form(app_db, domain):
    _open_checkin()
    tracker = make_tracker(SENDER, text="can I talk to someone", intent="request_human")
    events, responses = await run_action(ActionHandoff(), tracker, domain)
    assert events == [("active_loop", None), ("slot", "requested_slot", None)]
    assert responses == ["utter_handoff"]
    assert _paused() is True
    assert _reasons() == [["requested"]]


async def test_a_request_for_a_person_outside_the_form(app_db, domain):
    _open_checkin()
    tracker = make_tracker(SENDER, text="call me", intent="request_human", form_active=False)
    events, responses = await run_action(ActionHandoff(), tracker, domain)
    assert (events, responses) == ([], ["utter_handoff"])


async def test_a_crisis_the_model_recognised(app_db, domain):
    _open_checkin()
    tracker = make_tracker(SENDER, text="he hits us", intent="crisis")
    events, responses = await run_action(ActionCrisis(), tracker, domain)
    assert events == [("active_loop", None), ("slot", "requested_slot", None)]
    assert responses == ["utter_crisis_safety", "utter_crisis_follow_up"]
    assert _paused() is True
    with session_scope() as session:
        escalation = session.execute(select(Escalation)).scalars().one()
        assert (escalation.reasons, escalation.priority) == (["crisis"], "urgent")


async def test_switching_to_spanish_is_saved(app_db, domain):
    with session_scope() as session:
        get_or_create_conversation(session=session, conversation_id=SENDER, channel="rest")
    tracker = make_tracker(SENDER, text="en español por favor", intent="switch_language")
    events, responses = await run_action(ActionSwitchLanguage(), tracker, domain)
    assert (events, responses) == ([("slot", "language", "es")], [])
    with session_scope() as session:
        assert session.get(Conversation, SENDER).language == "es"


async def test_thanks_after_the_checkin(app_db, domain):
    tracker = make_tracker(SENDER, text="thanks!", intent="thank", form_active=False)
    events, responses = await run_action(ActionUnhandled(), tracker, domain)
    assert (events, responses) == ([("followup", "action_listen")], ["utter_youre_welcome"])


async def test_other_messages_after_the_checkin(app_db, domain):
    tracker = make_tracker(SENDER, text="ok", intent="affirm", form_active=False)
    _, responses = await run_action(ActionUnhandled(), tracker, domain)
    assert responses == ["utter_after_close"]


async def test_one_misunderstanding_asks_to_rephrase(app_db, domain):
    tracker = make_tracker(SENDER, text="blorp", intent="nlu_fallback", form_active=False)
    events, responses = await run_action(ActionUnhandled(), tracker, domain)
    assert (events, responses) == ([("followup", "action_listen")], ["utter_rephrase"])
    assert _paused() is False


async def test_two_misunderstandings_in_a_row_hand_off(app_db, domain):
    _open_checkin()
    tracker = make_tracker(
        SENDER,
        text="zzz",
        intent="nlu_fallback",
        form_active=False,
        before_user=[
            user_event("blorp", "nlu_fallback"),
            {"event": "action", "name": "action_unhandled"},
        ],
    )
    events, responses = await run_action(ActionUnhandled(), tracker, domain)
    assert (events, responses) == ([("followup", "action_listen")], ["utter_fallback_handoff"])
    assert _paused() is True
    assert _reasons() == [["fallback"]]


async def test_a_session_starts_with_the_family_language(app_db, domain):
    with session_scope() as session:
        get_or_create_conversation(
            session=session, conversation_id=SENDER, channel="rest", language="es"
        )
    tracker = make_tracker(SENDER, form_active=False, slots={"language": None})
    events, responses = await run_action(ActionSessionStart(), tracker, domain)
    assert responses == []
    assert events[0] == ("session_started",)
    assert events[-1] == ("action", "action_listen")
    assert ("slot", "language", "es") in events
    assert ("slot", "school_name", None) in events and ("slot", "child_name", None) in events
    assert ("slot", "rating", None) in events and ("slot", "requested_slot", None) in events
    assert ("slot", "checkin_started", False) in events  # the next message opens a check-in
