"""Families and their contact points: opt-out/opt-in and phone/chat-id resolution.

Opt-out decision: consent belongs to a number or chat, so an SMS/Telegram conversation
records STOP on its contact point (another parent's phone keeps working). A conversation
with no contact point (the dev `rest` channel, the simulator) records it on its family;
when it has none, a minimal unverified family is created for it so the opt-out is
remembered. A family-wide opt-out (set here or by staff) silences every contact point.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.store import crypto
from bot.store.columns import utcnow
from bot.store.conversations import (
    check_choice,
    get_conversation,
    get_or_create_conversation,
    require_conversation,
)
from bot.store.models import ContactPoint, Conversation, Family
from bot.store.vocab import CONTACT_CHANNELS


def _family_for(session: Session, conversation: Conversation) -> Family:
    """The conversation's family, creating a bare unverified one when it has none."""
    if conversation.family is None:
        family = Family(verified=False, preferred_language=conversation.language)
        session.add(family)
        session.flush()
        conversation.family = family
    return conversation.family


def opt_out(*, session: Session, conversation_id: str, everywhere: bool = False) -> None:
    """Stop messages to this contact; `everywhere` (a family's STOP) stops every channel.

    A provider's own opt-out (Twilio 21610, a blocked Telegram bot) concerns that one
    contact; a family that writes STOP is opted out on every channel it has.
    """
    conversation = require_conversation(session=session, conversation_id=conversation_id)
    now = utcnow()
    contact = conversation.contact_point
    if contact is not None and not everywhere:
        if contact.opted_out_at is None:
            contact.opted_out_at = now
    else:
        family = _family_for(session, conversation)
        if family.opted_out_at is None:
            family.opted_out_at = now
    session.flush()


def opt_in(*, session: Session, conversation_id: str) -> None:
    """Honour START: clear every opt-out that `is_opted_out` would see for this conversation."""
    conversation = require_conversation(session=session, conversation_id=conversation_id)
    if conversation.contact_point is not None:
        conversation.contact_point.opted_out_at = None
    if conversation.family is not None:
        conversation.family.opted_out_at = None
    session.flush()


def is_opted_out(*, session: Session, conversation_id: str) -> bool:
    """Whether nothing may be sent to this conversation (its contact or its family opted out)."""
    conversation = get_conversation(session=session, conversation_id=conversation_id)
    if conversation is None:
        return False
    contact = conversation.contact_point
    family = conversation.family
    return bool(
        (contact is not None and contact.opted_out_at is not None)
        or (family is not None and family.opted_out_at is not None)
    )


def find_contact_point(
    *, session: Session, channel: str, address: str, key: str
) -> ContactPoint | None:
    """Look a phone number or chat id up by its blind index (never by the clear value)."""
    index = crypto.blind_index(address.strip(), key=key)
    return session.execute(
        select(ContactPoint).where(
            ContactPoint.channel == channel, ContactPoint.address_index == index
        )
    ).scalar_one_or_none()


def add_contact_point(
    *, session: Session, family: Family, channel: str, address: str, key: str
) -> ContactPoint:
    """Attach a number or chat id to a family, stored encrypted with its blind index."""
    check_choice("channel", channel, CONTACT_CHANNELS)
    address = address.strip()
    contact = ContactPoint(
        family=family,
        channel=channel,
        address_index=crypto.blind_index(address, key=key),
        address_ciphertext=crypto.encrypt(address, key=key),
        created_at=utcnow(),
    )
    session.add(contact)
    session.flush()
    return contact


def _contact_for(session: Session, channel: str, address: str, key: str) -> ContactPoint:
    """The contact point for an address, created with a bare family for an unknown sender."""
    contact = find_contact_point(session=session, channel=channel, address=address, key=key)
    if contact is not None:
        return contact
    try:
        with session.begin_nested():
            family = Family(verified=False)
            session.add(family)
            contact = add_contact_point(
                session=session, family=family, channel=channel, address=address, key=key
            )
    except IntegrityError:
        contact = find_contact_point(session=session, channel=channel, address=address, key=key)
        if contact is None:
            raise
    return contact


def conversation_for_contact(
    *, session: Session, channel: str, address: str, key: str
) -> Conversation:
    """The one conversation for a phone number or chat id; its id reveals neither."""
    check_choice("channel", channel, CONTACT_CHANNELS)
    contact = _contact_for(session, channel, address, key)
    conversation = get_or_create_conversation(
        session=session,
        conversation_id=crypto.conversation_id_for(channel, address.strip(), key=key),
        channel=channel,
    )
    if conversation.contact_point_id is None:
        conversation.contact_point = contact
    if conversation.family is None:
        conversation.family = contact.family
    session.flush()
    return conversation


def delivery_address(*, session: Session, conversation_id: str, key: str) -> str | None:
    """The decrypted number or chat id to send to; None for rest/simulator conversations.

    It does not check opt-out: senders must call is_opted_out first.
    """
    conversation = get_conversation(session=session, conversation_id=conversation_id)
    if conversation is None or conversation.contact_point is None:
        return None
    return crypto.decrypt(conversation.contact_point.address_ciphertext, key=key)
