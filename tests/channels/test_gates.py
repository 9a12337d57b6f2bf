"""The inbound gates, on a real migrated database: keywords, crisis, hand-off, language."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.channels.gates import Inbound, run_gates
from bot.store import (
    Escalation,
    Message,
    get_or_create_conversation,
    is_opted_out,
    is_paused,
    pause_conversation,
    seed_demo,
)

CID = "gate-family"


def send(session: Session, text: str, provider_id: str | None = None, cid: str = CID):
    result = run_gates(Inbound(cid, "rest", text, provider_id), session=session)
    session.commit()
    return result


def responses(result) -> list[str]:
    return [reply.response for reply in result.replies]


def test_an_ordinary_message_is_recorded_and_forwarded(db_session):
    result = send(db_session, "hi there")
    assert (result.outcome, result.language, result.replies, result.parse_data) == (
        "forward",
        "en",
        [],
        None,
    )
    message = db_session.get(Message, result.message_id)
    assert (message.text, message.direction, message.status) == ("hi there", "in", "received")


def test_a_retried_delivery_is_processed_once(db_session):
    assert send(db_session, "hello", provider_id="SM1").outcome == "forward"
    assert send(db_session, "hello", provider_id="SM1").outcome == "duplicate"
    assert db_session.execute(select(Message)).scalars().all().__len__() == 1


def test_the_first_words_set_the_language_and_it_is_kept(db_session):
    assert send(db_session, "hola, buenos días").language == "es"
    assert send(db_session, "ok").language == "es"


def test_an_unclear_first_message_gets_the_default_language(db_session):
    assert send(db_session, "ok").language == "en"


@pytest.mark.parametrize("word", ["STOP", "stop", "Stop.", "ALTO", "parar", "baja", "CANCELAR"])
def test_stop_words_opt_out_with_one_confirmation(db_session, word):
    result = send(db_session, word)
    assert (result.outcome, responses(result)) == ("replied", ["utter_stop_confirm"])
    assert is_opted_out(session=db_session, conversation_id=CID) is True
    again = send(db_session, word)
    assert (again.outcome, again.replies) == ("held", [])


def test_nothing_is_answered_after_stop_but_the_words_are_kept(db_session):
    send(db_session, "STOP")
    result = send(db_session, "are you still there?")
    assert (result.outcome, result.replies) == ("held", [])
    assert db_session.get(Message, result.message_id).status == "held"


def test_start_opts_back_in(db_session):
    send(db_session, "STOP")
    result = send(db_session, "START")
    assert (result.outcome, responses(result)) == ("replied", ["utter_start_confirm"])
    assert is_opted_out(session=db_session, conversation_id=CID) is False
    assert send(db_session, "hi").outcome == "forward"


def test_help_without_a_known_school(db_session):
    result = send(db_session, "HELP")
    assert (result.outcome, responses(result)) == ("replied", ["utter_help_generic"])


def test_help_names_the_school_and_its_phone(db_session):
    seed_demo(session=db_session)
    db_session.commit()
    result = send(db_session, "AYUDA", cid="demo-es")
    assert responses(result) == ["utter_help"]
    assert result.replies[0].values == {
        "school_name": "Lincoln Elementary",
        "school_phone": "312-555-0199",
    }
    assert result.language == "es"


@pytest.mark.parametrize(
    "text",
    ["my daughter said she wants to kill herself", "mi esposo me pega", "he's not breathing"],
)
def test_a_crisis_is_answered_at_once_escalated_and_pauses_the_bot(db_session, text):
    result = send(db_session, text)
    assert (result.outcome, responses(result)) == (
        "replied",
        ["utter_crisis_safety", "utter_crisis_follow_up"],
    )
    escalation = db_session.execute(select(Escalation)).scalars().one()
    assert (escalation.reasons, escalation.priority) == (["crisis"], "urgent")
    assert is_paused(session=db_session, conversation_id=CID) is True
    later = send(db_session, "hello?")
    assert (later.outcome, later.replies) == ("held", [])


@pytest.mark.parametrize("text", ["this homework is killing me", "my phone died lol"])
def test_a_figure_of_speech_is_not_a_crisis(db_session, text):
    assert send(db_session, text).outcome == "forward"
    assert db_session.execute(select(Escalation)).scalars().all() == []


def test_a_crisis_while_handed_off_still_gets_the_safety_reply(db_session):
    get_or_create_conversation(session=db_session, conversation_id=CID, channel="rest")
    pause_conversation(session=db_session, conversation_id=CID, reason="requested")
    db_session.commit()
    result = send(db_session, "he said he wants to kill himself")
    assert responses(result) == ["utter_crisis_safety", "utter_crisis_follow_up"]


def test_a_crisis_from_an_opted_out_family_reaches_staff_without_a_text(db_session):
    send(db_session, "STOP")
    result = send(db_session, "she is cutting herself")
    assert (result.outcome, result.replies) == ("held", [])
    assert db_session.execute(select(Escalation.priority)).scalar_one() == "urgent"


def test_while_handed_off_messages_are_kept_for_staff(db_session):
    get_or_create_conversation(session=db_session, conversation_id=CID, channel="rest")
    pause_conversation(session=db_session, conversation_id=CID, reason="requested")
    db_session.commit()
    result = send(db_session, "ok thanks, when will they call?")
    assert (result.outcome, result.replies) == ("held", [])
    assert db_session.get(Message, result.message_id).status == "held"


def test_a_language_request_is_read_by_rule_not_by_the_model(db_session):
    result = send(db_session, "en español por favor")
    assert result.outcome == "forward"
    assert result.parse_data["intent"] == {"name": "switch_language", "confidence": 1.0}
    assert result.parse_data["text"] == "en español por favor"


def test_an_empty_message_gets_a_kind_reply(db_session):
    result = send(db_session, "   ")
    assert responses(result) == ["utter_unsupported_content"]
