"""The message log: inbound recorded before anything else, outbound with delivery status."""

from __future__ import annotations

import logging

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.store.columns import utcnow
from bot.store.conversations import check_choice, get_or_create_conversation
from bot.store.models import Message
from bot.store.vocab import AUTHORS, INBOUND_STATUSES, OUTBOUND_STATUSES

log = logging.getLogger(__name__)

# Delivery callbacks arrive out of order; a status never moves back to a lower rank.
_OUTBOUND_RANK = {"queued": 0, "sent": 1, "delivered": 2, "undelivered": 2, "failed": 2}


def _exists(session: Session, channel: str, provider_id: str) -> bool:
    """Whether a message with this provider id was already recorded on this channel."""
    found = session.execute(
        select(Message.id).where(Message.channel == channel, Message.provider_id == provider_id)
    ).first()
    return found is not None


def record_inbound(
    *,
    session: Session,
    conversation_id: str,
    channel: str,
    text: str,
    provider_id: str | None = None,
) -> Message | None:
    """Record a family's message first thing; None means a retried webhook (already recorded)."""
    conversation = get_or_create_conversation(
        session=session, conversation_id=conversation_id, channel=channel
    )
    if provider_id is not None and _exists(session, channel, provider_id):
        log.info("duplicate inbound ignored: conversation=%s", conversation_id)
        return None
    now = utcnow()
    message = Message(
        conversation_id=conversation_id,
        channel=channel,
        direction="in",
        author="family",
        text=text,
        provider_id=provider_id,
        status="received",
        created_at=now,
    )
    try:
        with session.begin_nested():
            session.add(message)
    except IntegrityError:
        # Another worker recorded the same provider id between our check and our insert.
        if provider_id is not None and _exists(session, channel, provider_id):
            log.info("duplicate inbound ignored: conversation=%s", conversation_id)
            return None
        raise
    conversation.last_message_at = now
    return message


def mark_processed(*, session: Session, message_id: int, status: str = "processed") -> None:
    """Close an inbound message: processed by the bot, or held for staff during a hand-off."""
    check_choice("status", status, INBOUND_STATUSES)
    message = session.get(Message, message_id)
    if message is None or message.direction != "in":
        raise LookupError(f"no inbound message {message_id}")
    message.status = status
    message.processed_at = utcnow() if status != "received" else None


def record_outbound(
    *,
    session: Session,
    conversation_id: str,
    channel: str,
    text: str,
    response_name: str | None = None,
    author: str = "bot",
    status: str = "sent",
    segments: int | None = None,
    provider_id: str | None = None,
) -> Message:
    """Log a reply (bot, staff or system) so the transcript and the outbox agree."""
    check_choice("author", author, AUTHORS[1:])
    check_choice("status", status, OUTBOUND_STATUSES)
    conversation = get_or_create_conversation(
        session=session, conversation_id=conversation_id, channel=channel
    )
    now = utcnow()
    message = Message(
        conversation_id=conversation_id,
        channel=channel,
        direction="out",
        author=author,
        text=text,
        response_name=response_name,
        provider_id=provider_id,
        status=status,
        segments=segments,
        created_at=now,
    )
    session.add(message)
    session.flush()
    conversation.last_message_at = now
    return message


_FINAL = frozenset({"delivered", "undelivered", "failed"})


def _advance(message: Message, status: str, error_code: str | None) -> None:
    """Move an outbound status forward only; final statuses stay final."""
    if message.status in _FINAL:
        return  # a late report (delivered after failed, or the reverse) changes nothing
    if _OUTBOUND_RANK[status] >= _OUTBOUND_RANK.get(message.status, 0):
        message.status = status
    if error_code is not None:
        message.error_code = error_code


def set_outbound_status(
    *,
    session: Session,
    message_id: int,
    status: str,
    provider_id: str | None = None,
    error_code: str | None = None,
) -> Message:
    """After a send attempt: store the provider's id and how far the message got."""
    check_choice("status", status, OUTBOUND_STATUSES)
    message = session.get(Message, message_id)
    if message is None or message.direction != "out":
        raise LookupError(f"no outbound message {message_id}")
    if provider_id is not None:
        message.provider_id = provider_id
    _advance(message, status, error_code)
    return message


def set_delivery_status(
    *,
    session: Session,
    channel: str,
    provider_id: str,
    status: str,
    error_code: str | None = None,
) -> Message | None:
    """Apply a delivery callback by provider id; None when the message is not ours."""
    check_choice("status", status, OUTBOUND_STATUSES)
    message = session.execute(
        select(Message).where(
            Message.channel == channel,
            Message.provider_id == provider_id,
            Message.direction == "out",
        )
    ).scalar_one_or_none()
    if message is not None:
        _advance(message, status, error_code)
    return message


def unprocessed_inbound(*, session: Session, limit: int = 100) -> list[Message]:
    """Inbound messages recorded but never processed (a crash), oldest first, to replay."""
    return list(
        session.execute(
            select(Message)
            .where(Message.direction == "in", Message.status == "received")
            .order_by(Message.id)
            .limit(limit)
        ).scalars()
    )
