"""One family, several channels: one-time codes that link a Telegram chat to a roster family.

Staff (or outreach) create a code for a family known by its phone number and send the
deep link `https://t.me/<bot>?start=CODE`; the family taps it and Telegram sends
`/start CODE`. The code is stored only as a keyed blind index (never in clear), expires
after a week and works once. Redeeming it moves the chat's contact point and
conversation to that family, so both channels share its record and language.
"""

from __future__ import annotations

import secrets
from datetime import timedelta

from sqlalchemy import Column, ForeignKey, Index, Integer, String, UniqueConstraint, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, relationship

from bot.store import crypto
from bot.store.columns import UTCDateTime, utcnow
from bot.store.conversations import check_choice, get_conversation
from bot.store.families import add_contact_point, find_contact_point
from bot.store.models import Base, Conversation, Family, _Repr
from bot.store.vocab import CONTACT_CHANNELS

LINK_CODE_TTL = timedelta(days=7)
# No 0/O or 1/I: a code read aloud over the phone is typed right the first time.
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 10  # 32**10 = 2**50 codes, only ever tried through Telegram's rate limits


class LinkCode(_Repr, Base):
    """A one-time code for linking a chat to a family; only its blind index is stored."""

    __tablename__ = "link_codes"
    __table_args__ = (
        UniqueConstraint("code_index"),
        Index("ix_link_codes_family_id", "family_id"),
    )

    id = Column(Integer, primary_key=True)
    family_id = Column(Integer, ForeignKey("families.id", ondelete="CASCADE"), nullable=False)
    code_index = Column(String(64), nullable=False)
    created_at = Column(UTCDateTime, nullable=False, default=utcnow)
    expires_at = Column(UTCDateTime, nullable=False)
    used_at = Column(UTCDateTime, nullable=True)

    family = relationship("Family")


def normalize_code(code: str) -> str | None:
    """The canonical form of a code as typed or tapped (any case, spaces ignored); None if bad."""
    cleaned = "".join(code.split()).upper()
    if len(cleaned) != CODE_LENGTH or any(c not in CODE_ALPHABET for c in cleaned):
        return None
    return cleaned


def _code_index(code: str, key: str) -> str:
    """The blind index of a code, kept apart from the contact indexes by a prefix."""
    return crypto.blind_index("link-code\x00" + code, key=key)


def create_link_code(
    *, session: Session, family_id: int, key: str, ttl: timedelta = LINK_CODE_TTL
) -> str:
    """A new single-use code for a family; the clear code is returned once and never stored."""
    if session.get(Family, family_id) is None:
        raise LookupError(f"no family {family_id}")
    now = utcnow()
    for _ in range(5):  # a collision needs 2**25 live codes; retry rather than fail anyway
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        row = LinkCode(
            family_id=family_id,
            code_index=_code_index(code, key),
            created_at=now,
            expires_at=now + ttl,
        )
        try:
            with session.begin_nested():
                session.add(row)
        except IntegrityError:
            continue
        return code
    raise RuntimeError("could not create a unique link code")


def redeem_link_code(
    *, session: Session, code: str, channel: str, address: str, key: str
) -> Family | None:
    """Link a chat to the code's family; None for an unknown, expired or already used code."""
    check_choice("channel", channel, CONTACT_CHANNELS)
    normal = normalize_code(code)
    if normal is None:
        return None
    now = utcnow()
    link = session.execute(
        select(LinkCode).where(LinkCode.code_index == _code_index(normal, key))
    ).scalar_one_or_none()
    if link is None or link.used_at is not None or link.expires_at <= now:
        return None
    # Claim it with one conditional UPDATE, so two racing redemptions cannot both win.
    claimed = session.execute(
        update(LinkCode)
        .where(LinkCode.id == link.id, LinkCode.used_at.is_(None))
        .values(used_at=now)
        .execution_options(synchronize_session=False)
    ).rowcount
    if claimed != 1:
        return None
    session.refresh(link)
    family: Family = link.family
    _attach(session, family, channel, address.strip(), key)
    return family


def _attach(session: Session, family: Family, channel: str, address: str, key: str) -> None:
    """Give the chat's contact point and conversation to the family (and its language)."""
    contact = find_contact_point(session=session, channel=channel, address=address, key=key)
    previous = None
    if contact is None:
        contact = add_contact_point(
            session=session, family=family, channel=channel, address=address, key=key
        )
    elif contact.family_id != family.id:
        previous = contact.family
        contact.family = family
    conversation = get_conversation(
        session=session, conversation_id=crypto.conversation_id_for(channel, address, key=key)
    )
    if conversation is not None:
        conversation.family = family
        conversation.contact_point = contact
        if family.preferred_language:  # the family's language wins over a guess from one message
            conversation.language = family.preferred_language
    session.flush()
    if previous is not None:
        _drop_if_empty(session, previous)


def _drop_if_empty(session: Session, family: Family) -> None:
    """Delete the bare record an unknown chat got, once nothing refers to it any more."""
    session.refresh(family)
    if family.verified or family.school_id is not None or family.opted_out_at is not None:
        return
    if family.students:
        return
    if family.contact_points:
        return
    talking = session.execute(
        select(Conversation.id).where(Conversation.family_id == family.id).limit(1)
    ).first()
    if talking is None:
        session.delete(family)
        session.flush()
