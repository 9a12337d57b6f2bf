"""The FamilyBot tables; the schema itself is created only by the Alembic migrations."""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Column,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    false,
    text,
    true,
)
from sqlalchemy.orm import declarative_base, relationship

from bot.store.columns import JSONType, UTCDateTime, utcnow
from bot.store.vocab import AUTHORS, ESCALATION_STATUSES, PRIORITIES

# Alembic naming.rst: every constraint gets a predictable name, so migrations can drop it.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

metadata = MetaData(naming_convention=NAMING_CONVENTION)
# Typed as Any: SQLAlchemy 1.4 ships no typing for declarative classes without its plugin.
Base: Any = declarative_base(metadata=metadata)


def _in(column: str, values: tuple[str, ...]) -> str:
    """SQL for a CHECK that a column holds one of a closed set of codes."""
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class _Repr:
    """A repr with the primary key only: never contact details or message text in logs."""

    def __repr__(self) -> str:
        return f"<{type(self).__name__} id={getattr(self, 'id', None)!r}>"


class School(_Repr, Base):
    """A school; its time zone and quiet hours govern when outreach may text."""

    __tablename__ = "schools"

    id = Column(Integer, primary_key=True)
    name = Column(String(200), nullable=False)
    timezone = Column(
        String(64), nullable=False, default="America/New_York", server_default="America/New_York"
    )
    state = Column(String(2), nullable=False)
    quiet_start = Column(String(5), nullable=False, default="08:00", server_default="08:00")
    quiet_end = Column(String(5), nullable=False, default="20:00", server_default="20:00")
    help_phone = Column(String(32), nullable=True)
    created_at = Column(UTCDateTime, nullable=False, default=utcnow)

    students = relationship("Student", back_populates="school")
    families = relationship("Family", back_populates="school")


family_students = Table(
    "family_students",
    metadata,
    Column(
        "family_id",
        Integer,
        ForeignKey("families.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column(
        "student_id",
        Integer,
        ForeignKey("students.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("relationship", String(40), nullable=True),
    Index("ix_family_students_student_id", "student_id"),
)


class Student(_Repr, Base):
    """A student as the district's SIS knows them; only a first name, to personalise."""

    __tablename__ = "students"
    __table_args__ = (UniqueConstraint("school_id", "sis_id"),)

    id = Column(Integer, primary_key=True)
    school_id = Column(Integer, ForeignKey("schools.id", ondelete="CASCADE"), nullable=False)
    sis_id = Column(String(64), nullable=False)
    first_name = Column(String(100), nullable=False)
    grade = Column(String(8), nullable=True)
    created_at = Column(UTCDateTime, nullable=False, default=utcnow)

    school = relationship("School", back_populates="students")
    families = relationship("Family", secondary=family_students, back_populates="students")


class Family(_Repr, Base):
    """A household the school talks to; may be a bare record for an unknown sender."""

    __tablename__ = "families"
    __table_args__ = (Index("ix_families_school_id", "school_id"),)

    id = Column(Integer, primary_key=True)
    school_id = Column(Integer, ForeignKey("schools.id", ondelete="SET NULL"), nullable=True)
    display_name = Column(String(200), nullable=True)
    preferred_language = Column(String(8), nullable=True)
    verified = Column(Boolean, nullable=False, default=False, server_default=false())
    opted_out_at = Column(UTCDateTime, nullable=True)
    consent = Column(Boolean, nullable=False, default=True, server_default=true())
    created_at = Column(UTCDateTime, nullable=False, default=utcnow)

    school = relationship("School", back_populates="families")
    students = relationship("Student", secondary=family_students, back_populates="families")
    contact_points = relationship(
        "ContactPoint", back_populates="family", cascade="all, delete-orphan", passive_deletes=True
    )
    conversations = relationship("Conversation", back_populates="family")


class ContactPoint(_Repr, Base):
    """A phone number or Telegram chat id: encrypted, found by its blind index only."""

    __tablename__ = "contact_points"
    __table_args__ = (
        UniqueConstraint("channel", "address_index"),
        Index("ix_contact_points_family_id", "family_id"),
    )

    id = Column(Integer, primary_key=True)
    family_id = Column(Integer, ForeignKey("families.id", ondelete="CASCADE"), nullable=False)
    channel = Column(String(16), nullable=False)
    address_index = Column(String(64), nullable=False)
    address_ciphertext = Column(Text, nullable=False)
    opted_out_at = Column(UTCDateTime, nullable=True)
    created_at = Column(UTCDateTime, nullable=False, default=utcnow)

    family = relationship("Family", back_populates="contact_points")


class Conversation(_Repr, Base):
    """One family's thread on one channel, keyed by an opaque id (never a phone number)."""

    __tablename__ = "conversations"
    __table_args__ = (
        UniqueConstraint("contact_point_id"),
        Index("ix_conversations_family_id", "family_id"),
    )

    id = Column(String(128), primary_key=True)
    channel = Column(String(16), nullable=False)
    family_id = Column(Integer, ForeignKey("families.id", ondelete="SET NULL"), nullable=True)
    # Which number/chat this thread replies to (null for rest and simulator threads).
    contact_point_id = Column(
        Integer, ForeignKey("contact_points.id", ondelete="SET NULL"), nullable=True
    )
    language = Column(String(8), nullable=True)
    paused = Column(Boolean, nullable=False, default=False, server_default=false())
    paused_at = Column(UTCDateTime, nullable=True)
    paused_reason = Column(String(200), nullable=True)
    is_simulated = Column(Boolean, nullable=False, default=False, server_default=false())
    started_at = Column(UTCDateTime, nullable=False, default=utcnow)
    last_message_at = Column(UTCDateTime, nullable=True)

    family = relationship("Family", back_populates="conversations")
    contact_point = relationship("ContactPoint")
    messages = relationship(
        "Message",
        back_populates="conversation",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="Message.id",
    )
    checkins = relationship(
        "CheckIn",
        back_populates="conversation",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="CheckIn.id",
    )
    escalations = relationship(
        "Escalation",
        back_populates="conversation",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="Escalation.id",
    )


class Message(_Repr, Base):
    """Every message in or out; (channel, provider_id) is unique so webhook retries are no-ops."""

    __tablename__ = "messages"
    __table_args__ = (
        UniqueConstraint("channel", "provider_id"),
        CheckConstraint(_in("direction", ("in", "out")), name="direction"),
        CheckConstraint(_in("author", AUTHORS), name="author"),
        Index("ix_messages_conversation_id_created_at", "conversation_id", "created_at"),
        Index("ix_messages_status", "status"),
    )

    id = Column(BigInteger().with_variant(Integer(), "sqlite"), primary_key=True)
    conversation_id = Column(
        String(128), ForeignKey("conversations.id", ondelete="CASCADE"), nullable=False
    )
    channel = Column(String(16), nullable=False)
    direction = Column(String(3), nullable=False)
    author = Column(String(16), nullable=False)
    text = Column(Text, nullable=False)
    response_name = Column(String(100), nullable=True)
    provider_id = Column(String(128), nullable=True)
    status = Column(String(16), nullable=False)
    segments = Column(Integer, nullable=True)
    error_code = Column(String(32), nullable=True)
    created_at = Column(UTCDateTime, nullable=False, default=utcnow)
    processed_at = Column(UTCDateTime, nullable=True)

    conversation = relationship("Conversation", back_populates="messages")


class CheckIn(_Repr, Base):
    """One run of the check-in flow, saved step by step so drop-offs leave a partial record."""

    __tablename__ = "checkins"
    __table_args__ = (
        CheckConstraint("rating IS NULL OR (rating >= 1 AND rating <= 10)", name="rating"),
        Index("ix_checkins_conversation_id", "conversation_id"),
        Index("ix_checkins_started_at", "started_at"),
    )

    id = Column(Integer, primary_key=True)
    conversation_id = Column(
        String(128), ForeignKey("conversations.id", ondelete="CASCADE"), nullable=False
    )
    channel = Column(String(16), nullable=False)
    language = Column(String(8), nullable=False)
    student_id = Column(Integer, ForeignKey("students.id", ondelete="SET NULL"), nullable=True)
    started_at = Column(UTCDateTime, nullable=False, default=utcnow)
    completed = Column(Boolean, nullable=False, default=False, server_default=false())
    completed_at = Column(UTCDateTime, nullable=True)
    feeling_text = Column(Text, nullable=True)
    rating = Column(Integer, nullable=True)
    rating_attempts = Column(Integer, nullable=False, default=0, server_default=text("0"))
    barriers = Column(JSONType, nullable=False, default=list)
    barrier_text = Column(Text, nullable=True)
    follow_up_requested = Column(Boolean, nullable=True)
    helpful = Column(Boolean, nullable=True)
    helpful_text = Column(Text, nullable=True)
    escalated = Column(Boolean, nullable=False, default=False, server_default=false())
    escalation_reasons = Column(JSONType, nullable=False, default=list)
    is_simulated = Column(Boolean, nullable=False, default=False, server_default=false())

    conversation = relationship("Conversation", back_populates="checkins")
    student = relationship("Student")


class Escalation(_Repr, Base):
    """A conversation handed to staff, with why, how urgent, and what happened."""

    __tablename__ = "escalations"
    __table_args__ = (
        CheckConstraint(_in("priority", PRIORITIES), name="priority"),
        CheckConstraint(_in("status", ESCALATION_STATUSES), name="status"),
        Index("ix_escalations_conversation_id", "conversation_id"),
        Index("ix_escalations_status", "status"),
    )

    id = Column(Integer, primary_key=True)
    conversation_id = Column(
        String(128), ForeignKey("conversations.id", ondelete="CASCADE"), nullable=False
    )
    checkin_id = Column(Integer, ForeignKey("checkins.id", ondelete="SET NULL"), nullable=True)
    reasons = Column(JSONType, nullable=False, default=list)
    priority = Column(String(8), nullable=False)
    status = Column(String(8), nullable=False, default="pending", server_default="pending")
    created_at = Column(UTCDateTime, nullable=False, default=utcnow)
    updated_at = Column(UTCDateTime, nullable=False, default=utcnow, onupdate=utcnow)
    claimed_by = Column(String(200), nullable=True)
    claimed_at = Column(UTCDateTime, nullable=True)
    first_response_at = Column(UTCDateTime, nullable=True)
    resolved_at = Column(UTCDateTime, nullable=True)
    outcome_note = Column(Text, nullable=True)

    conversation = relationship("Conversation", back_populates="escalations")
    checkin = relationship("CheckIn")


class CommunityResource(_Repr, Base):
    """A local service offered for some barriers, with one short SMS line per language."""

    __tablename__ = "community_resources"
    __table_args__ = (Index("ix_community_resources_school_id", "school_id"),)

    id = Column(Integer, primary_key=True)
    name = Column(String(200), nullable=False)
    barrier_codes = Column(JSONType, nullable=False, default=list)
    texts = Column(JSONType, nullable=False, default=dict)
    phone = Column(String(32), nullable=True)
    url = Column(String(500), nullable=True)
    school_id = Column(Integer, ForeignKey("schools.id", ondelete="CASCADE"), nullable=True)
    active = Column(Boolean, nullable=False, default=True, server_default=true())
    created_at = Column(UTCDateTime, nullable=False, default=utcnow)

    school = relationship("School")
