"""Conversations: creation, language, and the staff hand-off pause."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.store.columns import utcnow
from bot.store.models import CheckIn, Conversation
from bot.store.vocab import CHANNELS, LANGUAGES


class ConversationNotFound(LookupError):
    """The conversation id is unknown; it is created when its first message is recorded."""


def check_choice(name: str, value: str, allowed: tuple[str, ...]) -> str:
    """Reject a code outside its vocabulary with a message that lists the valid ones."""
    if value not in allowed:
        raise ValueError(f"{name} must be one of {', '.join(allowed)}; got {value!r}")
    return value


def get_conversation(*, session: Session, conversation_id: str) -> Conversation | None:
    """The conversation, or None when it was never recorded."""
    return session.get(Conversation, conversation_id)


def require_conversation(*, session: Session, conversation_id: str) -> Conversation:
    """The conversation, or ConversationNotFound so callers fail loudly, not silently."""
    conversation = session.get(Conversation, conversation_id)
    if conversation is None:
        raise ConversationNotFound(conversation_id)
    return conversation


def get_or_create_conversation(
    *,
    session: Session,
    conversation_id: str,
    channel: str,
    language: str | None = None,
    is_simulated: bool = False,
) -> Conversation:
    """Fetch or create a conversation; two webhooks racing to create it both get the same one."""
    conversation = session.get(Conversation, conversation_id)
    if conversation is not None:
        return conversation
    check_choice("channel", channel, CHANNELS)
    if language is not None:
        check_choice("language", language, LANGUAGES)
    conversation = Conversation(
        id=conversation_id,
        channel=channel,
        language=language,
        # Simulator threads never count as real families, whatever the caller passed.
        is_simulated=is_simulated or channel == "simulator",
        started_at=utcnow(),
    )
    try:
        with session.begin_nested():
            session.add(conversation)
    except IntegrityError:
        conversation = session.get(Conversation, conversation_id)
        if conversation is None:
            raise
    return conversation


def set_conversation_language(*, session: Session, conversation_id: str, language: str) -> None:
    """Remember a language switch on the conversation, the family and the open check-in."""
    check_choice("language", language, LANGUAGES)
    conversation = require_conversation(session=session, conversation_id=conversation_id)
    conversation.language = language
    if conversation.family is not None:
        conversation.family.preferred_language = language
    open_checkin = session.execute(
        select(CheckIn)
        .where(CheckIn.conversation_id == conversation_id, CheckIn.completed.is_(False))
        .order_by(CheckIn.started_at.desc(), CheckIn.id.desc())
        .limit(1)
    ).scalar_one_or_none()
    if open_checkin is not None:
        open_checkin.language = language


def pause_conversation(*, session: Session, conversation_id: str, reason: str) -> None:
    """Hand the conversation to staff: the bot stays silent until it is resumed."""
    conversation = require_conversation(session=session, conversation_id=conversation_id)
    if not conversation.paused:
        conversation.paused = True
        conversation.paused_at = utcnow()
    conversation.paused_reason = reason[:200]


def resume_conversation(*, session: Session, conversation_id: str) -> None:
    """Staff hand the conversation back to the bot explicitly."""
    conversation = require_conversation(session=session, conversation_id=conversation_id)
    conversation.paused = False
    conversation.paused_at = None
    conversation.paused_reason = None


def is_paused(*, session: Session, conversation_id: str) -> bool:
    """Whether staff own the conversation; unknown conversations are not paused."""
    paused = session.execute(
        select(Conversation.paused).where(Conversation.id == conversation_id)
    ).scalar_one_or_none()
    return bool(paused)
