"""The inbound gates every channel shares (SPEC section 9; STYLE "the path of one message").

record (a provider id makes retries harmless) -> STOP/START/HELP -> crisis -> opted out or
handed off (kept for staff) -> Rasa. Deterministic and synchronous: one database session,
no model, so what works on the dev REST channel works on a phone.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from bot.core import escalation
from bot.core.crisis import detect_crisis
from bot.core.keywords import classify_keyword
from bot.core.language import ENABLED_LANGUAGES, detect_language, requested_language

Outcome = Literal["duplicate", "replied", "held", "forward"]


@dataclass(frozen=True)
class Inbound:
    """One message from a family, as a channel received it (already authenticated)."""

    conversation_id: str
    channel: str
    text: str
    provider_id: str | None = None
    is_simulated: bool = False


@dataclass(frozen=True)
class Reply:
    """A named response the gates answer with, and the values it needs."""

    response: str
    values: dict[str, Any] = field(default_factory=dict)


@dataclass
class GateResult:
    """What the gates decided for one inbound message."""

    outcome: Outcome
    language: str
    replies: list[Reply] = field(default_factory=list)
    message_id: int | None = None
    # A deterministic reading that Rasa takes instead of running NLU (never loses the text).
    parse_data: dict[str, Any] | None = None


def deterministic_parse(text: str, intent: str) -> dict[str, Any]:
    """Parse data for Rasa when a rule, not the model, has understood the message."""
    return {
        "text": text,
        "intent": {"name": intent, "confidence": 1.0},
        "intent_ranking": [{"name": intent, "confidence": 1.0}],
        "entities": [],
    }


def record(inbound: Inbound, *, session: Any) -> int | None:
    """Step one, before any acknowledgement: store the message; None for a retried one."""
    from bot import store

    store.get_or_create_conversation(
        session=session,
        conversation_id=inbound.conversation_id,
        channel=inbound.channel,
        is_simulated=inbound.is_simulated,
    )
    message = store.record_inbound(
        session=session,
        conversation_id=inbound.conversation_id,
        channel=inbound.channel,
        text=inbound.text,
        provider_id=inbound.provider_id,
    )
    return None if message is None else int(message.id)


def decide(
    inbound: Inbound, message_id: int, *, session: Any, default_language: str = "en"
) -> GateResult:
    """Step two, for a recorded message: keywords, crisis, hand-off, or on to Rasa."""
    from bot import store

    context = store.conversation_context(session=session, conversation_id=inbound.conversation_id)
    language = _language_for(inbound, context.language, default_language, session=session)
    result = _decide(inbound, context, language, session=session)
    result.message_id = message_id
    if result.outcome != "forward":
        store.mark_processed(
            session=session,
            message_id=message_id,
            status="held" if result.outcome == "held" else "processed",
        )
    return result


def run_gates(inbound: Inbound, *, session: Any, default_language: str = "en") -> GateResult:
    """Record and decide in one go (the dev REST channel answers in the same request)."""
    message_id = record(inbound, session=session)
    if message_id is None:
        return GateResult("duplicate", default_language)
    return decide(inbound, message_id, session=session, default_language=default_language)


def _language_for(inbound: Inbound, known: str | None, default: str, *, session: Any) -> str:
    """The family's language: the record's, else guessed once from their first words."""
    from bot import store

    if known in ENABLED_LANGUAGES:
        return known  # type: ignore[return-value]
    guessed = requested_language(inbound.text) or detect_language(inbound.text)
    language = guessed if guessed in ENABLED_LANGUAGES else default
    store.set_conversation_language(
        session=session, conversation_id=inbound.conversation_id, language=language
    )
    return language


def _decide(inbound: Inbound, context: Any, language: str, *, session: Any) -> GateResult:
    from bot import store

    cid = inbound.conversation_id
    keyword = classify_keyword(inbound.text)
    if keyword == "stop":
        already = context.opted_out
        store.opt_out(session=session, conversation_id=cid, everywhere=True)
        # One confirmation only (FCC 24-24): a repeated STOP gets silence.
        replies = [] if already else [Reply("utter_stop_confirm")]
        return GateResult("replied" if replies else "held", language, replies)
    if keyword == "start":
        store.opt_in(session=session, conversation_id=cid)
        return GateResult("replied", language, [Reply("utter_start_confirm")])
    if keyword == "help":
        return GateResult("replied", language, [_help_reply(context)])

    crisis = detect_crisis(inbound.text)
    if crisis is not None:
        store.escalate(
            session=session,
            conversation_id=cid,
            reasons=["crisis"],
            priority=escalation.priority_for(["crisis"]),
        )
        store.pause_conversation(session=session, conversation_id=cid, reason="crisis")
        if context.opted_out:  # nothing is ever sent to an opted-out family; staff are told
            return GateResult("held", language)
        replies = [Reply("utter_crisis_safety"), Reply("utter_crisis_follow_up")]
        return GateResult("replied", language, replies)

    if context.opted_out or context.paused:
        return GateResult("held", language)
    if not inbound.text.strip():
        return GateResult("replied", language, [Reply("utter_unsupported_content")])
    if requested_language(inbound.text):
        return GateResult(
            "forward", language, parse_data=deterministic_parse(inbound.text, "switch_language")
        )
    return GateResult("forward", language)


def _help_reply(context: Any) -> Reply:
    """HELP answers with the school's contact and how to stop."""
    school = getattr(context, "school_name", None)
    phone = getattr(context, "school_phone", None)
    if school and phone:
        return Reply("utter_help", {"school_name": school, "school_phone": phone})
    return Reply("utter_help_generic")
