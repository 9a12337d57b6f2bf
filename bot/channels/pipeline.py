"""One inbound path for every channel: gates, then either the gates' reply or Rasa.

The dev REST channel records and processes in one request (`handle`). The phone
channels record first, acknowledge the provider at once, and `process` afterwards.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import OutputChannel, UserMessage

from bot.channels import gates
from bot.channels.gates import GateResult, Inbound, Reply

logger = logging.getLogger(__name__)

OnNewMessage = Callable[[UserMessage], Awaitable[Any]]


async def render(agent: Any, reply: Reply, language: str, channel: str) -> str | None:
    """Render a named response in the family's language with Rasa's own generator."""
    from rasa.shared.core.events import SlotSet
    from rasa.shared.core.trackers import DialogueStateTracker

    tracker = DialogueStateTracker.from_events(
        "gates", [SlotSet("language", language)], slots=agent.domain.slots
    )
    message = await agent.nlg.generate(reply.response, tracker, channel, **reply.values)
    return (message or {}).get("text")


class InboundPipeline:
    """Runs the gates on a worker thread, answers what they answered, forwards the rest."""

    def __init__(self, on_new_message: OnNewMessage, agent: Any) -> None:
        self._on_new_message = on_new_message
        self._agent = agent

    async def handle(self, inbound: Inbound, output: OutputChannel) -> GateResult:
        """Record and process one message in the same request (the dev REST channel)."""
        message_id = await asyncio.to_thread(record_in_session, inbound)
        if message_id is None:
            return GateResult("duplicate", "en")
        return await self.process(inbound, message_id, output)

    async def process(self, inbound: Inbound, message_id: int, output: OutputChannel) -> GateResult:
        """Process a recorded message: the gates' own reply, silence, or a Rasa turn."""
        result = await asyncio.to_thread(_decide_in_session, inbound, message_id)
        if result.outcome == "replied":
            for reply in result.replies:
                text = await render(self._agent, reply, result.language, output.name())
                if text:
                    await output.send_text_message(
                        inbound.conversation_id, text, utter_action=reply.response
                    )
        elif result.outcome == "forward":
            await self._on_new_message(
                UserMessage(
                    inbound.text,
                    output,
                    inbound.conversation_id,
                    input_channel=inbound.channel,
                    parse_data=result.parse_data,
                )
            )
            await asyncio.to_thread(_mark_processed, message_id)
        logger.info("inbound message %s on %s: %s", message_id, inbound.channel, result.outcome)
        return result


def record_in_session(inbound: Inbound) -> int | None:
    """Record one inbound message in its own transaction (before any acknowledgement)."""
    from bot.store import session_scope

    with session_scope() as session:
        return gates.record(inbound, session=session)


def _decide_in_session(inbound: Inbound, message_id: int) -> GateResult:
    from bot.settings import get_settings
    from bot.store import session_scope

    with session_scope() as session:
        return gates.decide(
            inbound, message_id, session=session, default_language=get_settings().default_language
        )


def _mark_processed(message_id: int) -> None:
    from bot.store import mark_processed, session_scope

    with session_scope() as session:
        mark_processed(session=session, message_id=message_id, status="processed")
