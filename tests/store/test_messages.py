"""The message log: retries are harmless, even when two webhooks race."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.store import (
    Conversation,
    Message,
    get_or_create_conversation,
    mark_processed,
    record_inbound,
    record_outbound,
    session_scope,
    set_delivery_status,
    set_outbound_status,
    unprocessed_inbound,
)


def _count(session: Session) -> int:
    return session.execute(select(func.count()).select_from(Message)).scalar_one()


def test_inbound_creates_the_conversation_and_is_aware(db_session: Session) -> None:
    message = record_inbound(
        session=db_session, conversation_id="c_1", channel="sms", text="hi", provider_id="SM1"
    )
    assert message is not None and message.id is not None
    assert (message.direction, message.author, message.status) == ("in", "family", "received")
    conversation = db_session.get(Conversation, "c_1")
    assert conversation.channel == "sms"
    assert conversation.last_message_at == message.created_at
    assert message.created_at.utcoffset().total_seconds() == 0


def test_duplicate_provider_id_returns_none(db_session: Session) -> None:
    first = record_inbound(
        session=db_session, conversation_id="c_1", channel="sms", text="hi", provider_id="SM1"
    )
    db_session.commit()
    again = record_inbound(
        session=db_session, conversation_id="c_1", channel="sms", text="hi", provider_id="SM1"
    )
    assert first is not None and again is None
    # The same id on another channel, and messages without an id, are separate messages.
    assert record_inbound(
        session=db_session, conversation_id="t_1", channel="telegram", text="hi", provider_id="SM1"
    )
    assert record_inbound(session=db_session, conversation_id="r", channel="rest", text="a")
    assert record_inbound(session=db_session, conversation_id="r", channel="rest", text="a")
    db_session.commit()
    assert _count(db_session) == 4


def test_duplicate_in_the_same_transaction_keeps_the_first(db_session: Session) -> None:
    first = record_inbound(
        session=db_session, conversation_id="c_1", channel="sms", text="one", provider_id="SM9"
    )
    assert (
        record_inbound(
            session=db_session, conversation_id="c_1", channel="sms", text="two", provider_id="SM9"
        )
        is None
    )
    db_session.commit()
    assert db_session.execute(select(Message.text)).scalars().all() == ["one"]
    assert first is not None


@pytest.mark.parametrize("round_", range(3))
def test_two_threads_recording_the_same_webhook(db_url: str, round_: int) -> None:
    barrier = threading.Barrier(2)
    results: list[object] = []
    errors: list[BaseException] = []

    def deliver() -> None:
        try:
            barrier.wait(timeout=10)
            with session_scope(db_url) as session:
                message = record_inbound(
                    session=session,
                    conversation_id=f"c_race{round_}",
                    channel="sms",
                    text="hello",
                    provider_id=f"SMrace{round_}",
                )
                results.append(message.id if message is not None else None)
        except BaseException as exc:  # surfaced below with the thread's own error
            errors.append(exc)

    threads = [threading.Thread(target=deliver) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []
    assert len(results) == 2 and results.count(None) == 1
    with session_scope(db_url) as session:
        assert _count(session) == 1
        assert session.execute(select(func.count()).select_from(Conversation)).scalar_one() == 1


def test_mark_processed_and_replay_list(db_session: Session) -> None:
    a, b, c = (
        record_inbound(session=db_session, conversation_id="c", channel="sms", text=t)
        for t in "abc"
    )
    assert a is not None and b is not None and c is not None
    mark_processed(session=db_session, message_id=a.id)
    mark_processed(session=db_session, message_id=b.id, status="held")
    db_session.commit()
    assert (a.status, b.status) == ("processed", "held")
    assert a.processed_at is not None
    assert [m.id for m in unprocessed_inbound(session=db_session)] == [c.id]
    with pytest.raises(ValueError):
        mark_processed(session=db_session, message_id=c.id, status="sent")
    out = record_outbound(session=db_session, conversation_id="c", channel="sms", text="x")
    with pytest.raises(LookupError):
        mark_processed(session=db_session, message_id=out.id)


def test_outbound_and_delivery_status_never_goes_back(db_session: Session) -> None:
    get_or_create_conversation(session=db_session, conversation_id="c", channel="sms")
    out = record_outbound(
        session=db_session,
        conversation_id="c",
        channel="sms",
        text="Hi! How are you?",
        response_name="utter_opening",
        status="queued",
        segments=1,
    )
    assert (out.direction, out.author, out.status, out.segments) == ("out", "bot", "queued", 1)
    set_outbound_status(session=db_session, message_id=out.id, status="sent", provider_id="SMo1")
    assert set_delivery_status(
        session=db_session, channel="sms", provider_id="SMo1", status="delivered"
    )
    # A late "sent" callback after "delivered" must not undo it.
    set_delivery_status(session=db_session, channel="sms", provider_id="SMo1", status="sent")
    db_session.commit()
    assert out.status == "delivered"
    assert (
        set_delivery_status(session=db_session, channel="sms", provider_id="nope", status="failed")
        is None
    )
    staff = record_outbound(
        session=db_session, conversation_id="c", channel="sms", text="Ms. Demo here", author="staff"
    )
    assert staff.author == "staff" and staff.response_name is None
    with pytest.raises(ValueError):
        record_outbound(
            session=db_session, conversation_id="c", channel="sms", text="x", author="family"
        )


def test_constraint_catches_a_duplicate_the_precheck_missed(
    db_session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    from bot.store import messages

    assert record_inbound(
        session=db_session, conversation_id="c", channel="sms", text="a", provider_id="SMx"
    )
    db_session.commit()
    real_exists = messages._exists
    calls: list[str] = []

    def blind_first_time(session: Session, channel: str, provider_id: str) -> bool:
        calls.append(provider_id)
        return False if len(calls) == 1 else real_exists(session, channel, provider_id)

    monkeypatch.setattr(messages, "_exists", blind_first_time)
    kept = record_inbound(session=db_session, conversation_id="c2", channel="sms", text="b")
    assert kept is not None
    assert (
        record_inbound(
            session=db_session, conversation_id="c", channel="sms", text="a", provider_id="SMx"
        )
        is None
    )
    assert calls == ["SMx", "SMx"]  # the insert failed in its SAVEPOINT, then was confirmed
    db_session.commit()  # the rest of the transaction survived the failed insert
    assert db_session.get(Message, kept.id) is not None
    assert _count(db_session) == 2
