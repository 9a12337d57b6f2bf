"""Check-ins saved as the conversation goes, and escalations to staff."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.store.columns import utcnow
from bot.store.conversations import (
    check_choice,
    get_or_create_conversation,
    require_conversation,
)
from bot.store.models import CheckIn, Conversation, Escalation
from bot.store.vocab import BARRIER_CODES, ESCALATION_REASONS, LANGUAGES, PRIORITIES

# Fields the flow may set through update_checkin; escalation fields go through escalate().
UPDATABLE_FIELDS = frozenset(
    {
        "language",
        "student_id",
        "completed",
        "completed_at",
        "feeling_text",
        "rating",
        "rating_attempts",
        "barriers",
        "barrier_text",
        "follow_up_requested",
        "helpful",
        "helpful_text",
    }
)


def _canonical(codes: Iterable[str], vocabulary: tuple[str, ...], name: str) -> list[str]:
    """Known codes only, no duplicates, in the vocabulary's order (stable exports)."""
    given = set(codes)
    unknown = given.difference(vocabulary)
    if unknown:
        raise ValueError(f"unknown {name}: {', '.join(sorted(unknown))}")
    return [code for code in vocabulary if code in given]


def _dedupe(codes: Iterable[str]) -> list[str]:
    """Barrier codes validated and de-duplicated, keeping the order the family named them."""
    result: list[str] = []
    for code in codes:
        check_choice("barrier code", code, BARRIER_CODES)
        if code not in result:
            result.append(code)
    return result


def _only_student_id(conversation: Conversation) -> int | None:
    """The student a check-in is about, when the family has exactly one."""
    family = conversation.family
    if family is not None and len(family.students) == 1:
        return family.students[0].id
    return None


def current_checkin(*, session: Session, conversation_id: str) -> CheckIn | None:
    """The conversation's latest check-in, finished or not."""
    return session.execute(
        select(CheckIn)
        .where(CheckIn.conversation_id == conversation_id)
        .order_by(CheckIn.started_at.desc(), CheckIn.id.desc())
        .limit(1)
    ).scalar_one_or_none()


def _new_checkin(
    session: Session, conversation: Conversation, channel: str, language: str
) -> CheckIn:
    """Insert a check-in now, so even a family that stops answering leaves a record."""
    checkin = CheckIn(
        conversation_id=conversation.id,
        channel=channel,
        language=language,
        student_id=_only_student_id(conversation),
        started_at=utcnow(),
        barriers=[],
        escalation_reasons=[],
        is_simulated=conversation.is_simulated,
    )
    session.add(checkin)
    session.flush()
    return checkin


def start_checkin(
    *,
    session: Session,
    conversation_id: str,
    channel: str,
    language: str,
    max_age: timedelta | None = None,
) -> CheckIn:
    """Resume the open check-in (younger than max_age, if given) or start a new one."""
    check_choice("language", language, LANGUAGES)
    conversation = get_or_create_conversation(
        session=session, conversation_id=conversation_id, channel=channel
    )
    latest = current_checkin(session=session, conversation_id=conversation_id)
    if latest is not None and not latest.completed:
        if max_age is None or utcnow() - latest.started_at <= max_age:
            return latest
    return _new_checkin(session, conversation, channel, language)


def update_checkin(*, session: Session, conversation_id: str, **fields: Any) -> CheckIn:
    """Save answers as they come (creating the check-in if the flow skipped the start)."""
    unknown = set(fields).difference(UPDATABLE_FIELDS)
    if unknown:
        raise TypeError(
            f"update_checkin cannot set {', '.join(sorted(unknown))}"
            " (escalation fields are set by escalate())"
        )
    if "language" in fields:
        check_choice("language", fields["language"], LANGUAGES)
    rating = fields.get("rating")
    if rating is not None and (
        isinstance(rating, bool) or not isinstance(rating, int) or not 1 <= rating <= 10
    ):
        raise ValueError(f"rating must be a whole number from 1 to 10; got {rating!r}")
    if "barriers" in fields:
        fields["barriers"] = _dedupe(fields["barriers"] or [])
    if "completed" in fields and "completed_at" not in fields:
        fields["completed_at"] = utcnow() if fields["completed"] else None
    checkin = current_checkin(session=session, conversation_id=conversation_id)
    if checkin is None:
        conversation = require_conversation(session=session, conversation_id=conversation_id)
        language = fields.get("language") or conversation.language or "en"
        checkin = _new_checkin(session, conversation, conversation.channel, language)
    for name, value in fields.items():
        setattr(checkin, name, value)
    session.flush()
    return checkin


def escalate(
    *, session: Session, conversation_id: str, reasons: list[str], priority: str
) -> Escalation:
    """Flag the conversation for staff, merging into its unresolved escalation if any."""
    check_choice("priority", priority, PRIORITIES)
    reasons = _canonical(reasons, ESCALATION_REASONS, "escalation reasons")
    if not reasons:
        raise ValueError("an escalation needs at least one reason")
    conversation = require_conversation(session=session, conversation_id=conversation_id)
    checkin = current_checkin(session=session, conversation_id=conversation_id)
    if checkin is None:
        # Recorded so the export shows the escalation even before any question was asked.
        checkin = _new_checkin(
            session, conversation, conversation.channel, conversation.language or "en"
        )
    checkin.escalated = True
    checkin.escalation_reasons = _canonical(
        [*checkin.escalation_reasons, *reasons], ESCALATION_REASONS, "escalation reasons"
    )

    escalation = session.execute(
        select(Escalation)
        .where(Escalation.conversation_id == conversation_id, Escalation.status != "resolved")
        .order_by(Escalation.id.desc())
        .limit(1)
    ).scalar_one_or_none()
    now = utcnow()
    if escalation is None:
        escalation = Escalation(
            conversation_id=conversation_id,
            checkin_id=checkin.id,
            reasons=reasons,
            priority=priority,
            status="pending",
            created_at=now,
            updated_at=now,
        )
        session.add(escalation)
    else:
        escalation.reasons = _canonical(
            [*escalation.reasons, *reasons], ESCALATION_REASONS, "escalation reasons"
        )
        if PRIORITIES.index(priority) > PRIORITIES.index(escalation.priority):
            escalation.priority = priority
        if escalation.checkin_id is None:
            escalation.checkin_id = checkin.id
        escalation.updated_at = now
    session.flush()
    return escalation
