"""One inbound path for every channel: gates, then either the gates' reply or Rasa."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import OutputChannel, UserMessage

from bot.channels.gates import GateResult, Inbound, Reply, run_gates

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
        """Process one authenticated inbound message end to end."""
        result = await asyncio.to_thread(_gates_in_session, inbound)
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
            if result.message_id is not None:
                await asyncio.to_thread(_mark_processed, result.message_id)
        logger.info(
            "inbound message %s on %s: %s", result.message_id, inbound.channel, result.outcome
        )
        return result


def _gates_in_session(inbound: Inbound) -> GateResult:
    from bot.settings import get_settings
    from bot.store import session_scope

    with session_scope() as session:
        return run_gates(inbound, session=session, default_language=get_settings().default_language)


def _mark_processed(message_id: int) -> None:
    from bot.store import mark_processed, session_scope

    with session_scope() as session:
        mark_processed(session=session, message_id=message_id, status="processed")
