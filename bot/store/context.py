"""What the opening message needs to sound personal: language, school, child's name."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from bot.store.conversations import get_conversation
from bot.store.families import is_opted_out


@dataclass(frozen=True)
class ConversationContext:
    """A read-only snapshot for personalising replies; no contact details in it."""

    language: str | None = None
    school_name: str | None = None
    school_phone: str | None = None
    child_first_name: str | None = None
    paused: bool = False
    opted_out: bool = False


def conversation_context(*, session: Session, conversation_id: str) -> ConversationContext:
    """Context for a conversation; an unknown one gets the neutral defaults."""
    conversation = get_conversation(session=session, conversation_id=conversation_id)
    if conversation is None:
        return ConversationContext()
    family = conversation.family
    language = conversation.language
    school_name = school_phone = child = None
    if family is not None:
        language = language or family.preferred_language
        if family.school is not None:
            school_name, school_phone = family.school.name, family.school.help_phone
        if len(family.students) == 1:
            # Only when unambiguous: naming the wrong sibling would break trust.
            child = family.students[0].first_name
    return ConversationContext(
        language=language,
        school_name=school_name,
        school_phone=school_phone,
        child_first_name=child,
        paused=conversation.paused,
        opted_out=is_opted_out(session=session, conversation_id=conversation_id),
    )
