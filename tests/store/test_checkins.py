"""Check-ins saved step by step, and escalations merged without losing urgency."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.store import (
    CheckIn,
    ConversationNotFound,
    Escalation,
    current_checkin,
    escalate,
    get_or_create_conversation,
    session_scope,
    set_conversation_language,
    start_checkin,
    update_checkin,
)
from bot.store.columns import utcnow


def _latest(session: Session, conversation_id: str) -> CheckIn:
    """The current check-in, which these tests expect to exist."""
    checkin = current_checkin(session=session, conversation_id=conversation_id)
    assert checkin is not None
    return checkin


def test_start_checkin_resumes_the_open_one(db_session: Session) -> None:
    first = start_checkin(session=db_session, conversation_id="r1", channel="rest", language="en")
    again = start_checkin(session=db_session, conversation_id="r1", channel="rest", language="en")
    assert again.id == first.id
    assert (first.completed, first.barriers, first.escalation_reasons) == (False, [], [])
    update_checkin(session=db_session, conversation_id="r1", completed=True)
    third = start_checkin(session=db_session, conversation_id="r1", channel="rest", language="es")
    assert third.id != first.id and third.language == "es"
    assert _latest(db_session, "r1").id == third.id


def test_start_checkin_with_max_age_leaves_a_stale_one_as_partial(db_session: Session) -> None:
    old = start_checkin(session=db_session, conversation_id="r1", channel="rest", language="en")
    old.started_at = utcnow() - timedelta(days=3)
    fresh = start_checkin(
        session=db_session,
        conversation_id="r1",
        channel="rest",
        language="en",
        max_age=timedelta(days=1),
    )
    assert fresh.id != old.id and old.completed is False


def test_partial_saves_survive_a_drop_off(db_url: str) -> None:
    with session_scope(db_url) as session:
        start_checkin(session=session, conversation_id="s1", channel="sms", language="es")
        update_checkin(session=session, conversation_id="s1", feeling_text="cansada")
    with session_scope(db_url) as session:
        update_checkin(session=session, conversation_id="s1", rating=7, rating_attempts=1)
    # The family stops answering here: what they gave is already stored.
    with session_scope(db_url) as session:
        checkin = _latest(session, "s1")
        assert (checkin.feeling_text, checkin.rating, checkin.rating_attempts) == ("cansada", 7, 1)
        assert checkin.completed is False and checkin.completed_at is None
        assert checkin.language == "es" and checkin.channel == "sms"
        assert checkin.started_at.tzinfo is not None


def test_update_checkin_fields(db_session: Session) -> None:
    get_or_create_conversation(
        session=db_session, conversation_id="r", channel="rest", language="es"
    )
    checkin = update_checkin(
        session=db_session,
        conversation_id="r",
        barriers=["transportation", "health", "transportation"],
        barrier_text="el bus no pasa y mi hijo tiene asma",
    )
    assert checkin.language == "es"  # created on the fly, in the conversation's language
    assert checkin.barriers == ["transportation", "health"]
    update_checkin(session=db_session, conversation_id="r", follow_up_requested=True)
    update_checkin(session=db_session, conversation_id="r", helpful=False, helpful_text="meh")
    done = update_checkin(session=db_session, conversation_id="r", completed=True)
    db_session.commit()
    assert done.id == checkin.id and done.completed_at is not None
    assert (done.follow_up_requested, done.helpful, done.helpful_text) == (True, False, "meh")
    assert db_session.execute(select(func.count()).select_from(CheckIn)).scalar_one() == 1


@pytest.mark.parametrize(
    ("fields", "error"),
    [
        ({"ratng": 5}, TypeError),
        ({"escalated": True}, TypeError),
        ({"conversation_id": "x"}, TypeError),
        ({"rating": 11}, ValueError),
        ({"rating": 0}, ValueError),
        ({"rating": "7"}, ValueError),
        ({"rating": True}, ValueError),
        ({"barriers": ["transport"]}, ValueError),
        ({"language": "fr"}, ValueError),
    ],
)
def test_update_checkin_rejects_bad_input(db_session: Session, fields: dict, error: type) -> None:
    start_checkin(session=db_session, conversation_id="r", channel="rest", language="en")
    with pytest.raises(error):
        update_checkin(session=db_session, conversation_id="r", **fields)
    assert _latest(db_session, "r").rating is None


def test_update_checkin_needs_a_known_conversation(db_session: Session) -> None:
    with pytest.raises(ConversationNotFound):
        update_checkin(session=db_session, conversation_id="ghost", rating=5)


def test_language_switch_reaches_the_open_checkin(db_session: Session) -> None:
    start_checkin(session=db_session, conversation_id="r", channel="rest", language="en")
    set_conversation_language(session=db_session, conversation_id="r", language="vi")
    assert _latest(db_session, "r").language == "vi"


def test_escalate_creates_then_merges(db_session: Session) -> None:
    start_checkin(session=db_session, conversation_id="r", channel="rest", language="en")
    first = escalate(
        session=db_session, conversation_id="r", reasons=["low_rating"], priority="normal"
    )
    assert (first.status, first.priority, first.reasons) == ("pending", "normal", ["low_rating"])
    second = escalate(
        session=db_session,
        conversation_id="r",
        reasons=["fallback", "crisis", "low_rating"],
        priority="urgent",
    )
    third = escalate(
        session=db_session, conversation_id="r", reasons=["requested"], priority="high"
    )
    db_session.commit()
    assert first.id == second.id == third.id
    assert third.priority == "urgent"  # never lowered by a later, milder reason
    assert third.reasons == ["crisis", "requested", "low_rating", "fallback"]
    checkin = _latest(db_session, "r")
    assert checkin.escalated is True
    assert checkin.escalation_reasons == ["crisis", "requested", "low_rating", "fallback"]
    assert third.checkin_id == checkin.id
    assert db_session.execute(select(func.count()).select_from(Escalation)).scalar_one() == 1


def test_escalate_after_resolution_opens_a_new_one(db_session: Session) -> None:
    start_checkin(session=db_session, conversation_id="r", channel="rest", language="en")
    first = escalate(session=db_session, conversation_id="r", reasons=["crisis"], priority="urgent")
    first.status = "resolved"
    first.resolved_at = utcnow()
    second = escalate(
        session=db_session, conversation_id="r", reasons=["requested"], priority="normal"
    )
    assert second.id != first.id
    assert (second.priority, second.reasons, second.status) == ("normal", ["requested"], "pending")


def test_escalate_before_any_checkin_still_shows_in_the_record(db_session: Session) -> None:
    get_or_create_conversation(session=db_session, conversation_id="r", channel="rest")
    escalation = escalate(
        session=db_session, conversation_id="r", reasons=["crisis"], priority="urgent"
    )
    checkin = _latest(db_session, "r")
    assert checkin is not None and checkin.escalated and checkin.escalation_reasons == ["crisis"]
    assert escalation.checkin_id == checkin.id


@pytest.mark.parametrize(
    ("reasons", "priority"), [([], "high"), (["sad"], "high"), (["crisis"], "extreme")]
)
def test_escalate_rejects_bad_input(db_session: Session, reasons: list, priority: str) -> None:
    get_or_create_conversation(session=db_session, conversation_id="r", channel="rest")
    with pytest.raises(ValueError):
        escalate(session=db_session, conversation_id="r", reasons=reasons, priority=priority)
