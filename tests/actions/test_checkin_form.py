"""validate_checkin_form: every answer's events, replies and what lands in the database."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from actions.checkin_form import ValidateCheckinForm
from bot.store import CheckIn, Escalation, session_scope, start_checkin
from tests.actions.conftest import action_event, make_tracker, run_action

pytestmark = pytest.mark.asyncio

SENDER = "family-1"


def _open_checkin() -> None:
    with session_scope() as session:
        start_checkin(session=session, conversation_id=SENDER, channel="rest", language="en")


def _checkin() -> CheckIn:
    with session_scope() as session:
        return session.execute(select(CheckIn)).scalars().one()


def _escalations() -> list[tuple[list[str], str]]:
    with session_scope() as session:
        return [(e.reasons, e.priority) for e in session.execute(select(Escalation)).scalars()]


async def _answer(domain, requested: str, text: str, intent: str, **slots):
    _open_checkin()
    tracker = make_tracker(
        SENDER, text=text, intent=intent, slots={"requested_slot": requested, **slots}
    )
    return await run_action(ValidateCheckinForm(), tracker, domain)


async def test_feeling_is_saved_as_said(app_db, domain):
    events, responses = await _answer(domain, "feeling", "tired but ok", "share_feeling")
    assert events == [("slot", "feeling", "tired but ok")]
    assert responses == []
    assert _checkin().feeling_text == "tired but ok"


async def test_feeling_with_an_explicit_rating_fills_both(app_db, domain):
    events, _ = await _answer(domain, "feeling", "we're good! 9/10", "share_feeling")
    assert events == [("slot", "feeling", "we're good! 9/10"), ("slot", "rating", 9)]
    assert _checkin().rating == 9


async def test_a_valid_rating(app_db, domain):
    events, responses = await _answer(domain, "rating", "8/10", "give_rating")
    assert events == [("slot", "rating", 8), ("slot", "rating_attempts", 1.0)]
    assert responses == []
    assert (_checkin().rating, _checkin().rating_attempts) == (8, 1)
    assert _escalations() == []


async def test_an_invalid_rating_is_asked_again(app_db, domain):
    events, responses = await _answer(domain, "rating", "eleven", "give_rating")
    assert events == [("slot", "rating", None), ("slot", "rating_attempts", 1.0)]
    assert responses == []
    assert _checkin().rating is None


async def test_the_third_invalid_rating_moves_on_to_barriers(app_db, domain):
    events, _ = await _answer(
        domain, "rating", "7 or 8", "give_rating", rating_attempts=2.0, feeling="fine"
    )
    assert events == [
        ("slot", "rating", None),
        ("slot", "rating_attempts", 3.0),
        ("slot", "requested_slot", "barriers_text"),
    ]
    assert _checkin().rating_attempts == 3


async def test_a_low_rating_escalates(app_db, domain):
    events, _ = await _answer(domain, "rating", "2", "give_rating")
    assert events == [("slot", "rating", 2), ("slot", "rating_attempts", 1.0)]
    assert _escalations() == [(["low_rating"], "normal")]
    assert _checkin().escalation_reasons == ["low_rating"]


async def test_a_rating_and_a_barrier_in_one_message(app_db, domain):
    text = "6, the bus keeps coming late"
    events, _ = await _answer(domain, "rating", text, "give_rating")
    assert events == [
        ("slot", "rating", 6),
        ("slot", "rating_attempts", 1.0),
        ("slot", "barriers_text", text),
        ("slot", "barriers", ["transportation"]),
    ]
    record = _checkin()
    assert (record.rating, record.barriers, record.barrier_text) == (6, ["transportation"], text)


async def test_barriers_are_coded_and_serious_ones_escalate(app_db, domain):
    text = "we got evicted and are staying with my sister"
    events, _ = await _answer(domain, "barriers_text", text, "report_barrier")
    assert events == [("slot", "barriers_text", text), ("slot", "barriers", ["housing"])]
    assert _escalations() == [(["serious_barrier"], "high")]


async def test_no_barriers_is_an_empty_list(app_db, domain):
    events, _ = await _answer(domain, "barriers_text", "nothing, all good", "deny")
    assert events == [("slot", "barriers_text", "nothing, all good"), ("slot", "barriers", [])]
    assert _checkin().barriers == []


async def test_yes_to_the_follow_up_escalates_as_requested(app_db, domain):
    events, responses = await _answer(domain, "follow_up", "yes please", "affirm")
    assert events == [("slot", "follow_up", True)]
    assert responses == ["utter_follow_up_yes"]
    assert _checkin().follow_up_requested is True
    assert _escalations() == [(["requested"], "high")]


async def test_no_to_the_follow_up(app_db, domain):
    events, responses = await _answer(domain, "follow_up", "no thanks", "deny")
    assert events == [("slot", "follow_up", False)]
    assert responses == ["utter_follow_up_no"]
    assert _escalations() == []


async def test_an_unclear_follow_up_answer_is_asked_again(app_db, domain):
    events, responses = await _answer(domain, "follow_up", "purple", "nlu_fallback")
    assert events == [("slot", "follow_up", None), ("slot", "follow_up_attempts", 1.0)]
    assert responses == []


async def test_two_unclear_follow_up_answers_hand_off_to_staff(app_db, domain):
    events, responses = await _answer(
        domain, "follow_up", "banana", "nlu_fallback", follow_up_attempts=1.0
    )
    assert events == [
        ("slot", "follow_up", None),
        ("slot", "follow_up_attempts", 2.0),
        ("slot", "requested_slot", None),
    ]
    assert responses == ["utter_fallback_handoff"]
    assert _escalations() == [(["fallback"], "high")]


async def test_feedback_keeps_the_words_and_reads_yes_or_no(app_db, domain):
    events, _ = await _answer(domain, "feedback", "yes, it helped", "affirm")
    assert events == [("slot", "feedback", "yes, it helped")]
    record = _checkin()
    assert (record.helpful, record.helpful_text) == (True, "yes, it helped")


async def test_a_digression_fills_nothing_so_the_form_lets_rules_answer(app_db, domain):
    events, responses = await _answer(domain, "rating", "who is this?", "ask_what_is_this")
    assert (events, responses) == ([], [])
    assert _checkin().rating is None


async def test_a_rating_misread_as_a_digression_is_still_a_rating(app_db, domain):
    events, _ = await _answer(domain, "rating", "7 i guess", "out_of_scope")
    assert events == [("slot", "rating", 7), ("slot", "rating_attempts", 1.0)]


async def test_returning_from_a_digression_does_not_reuse_its_words(app_db, domain):
    _open_checkin()
    tracker = make_tracker(
        SENDER,
        text="who is this?",
        intent="ask_what_is_this",
        slots={"requested_slot": "feeling"},
        after_user=[action_event("utter_what_is_this"), action_event("checkin_form")],
    )
    events, responses = await run_action(ValidateCheckinForm(), tracker, domain)
    assert (events, responses) == ([], [])
