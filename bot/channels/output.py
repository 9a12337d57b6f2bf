"""Output channels that keep a transcript: every bot message is recorded for staff."""

from __future__ import annotations

from typing import Any

from rasa.core.channels.channel import CollectingOutputChannel

from bot.core.sms import count_segments, to_gsm7


def record_bot_message(
    conversation_id: str, channel: str, text: str, response: str | None, status: str = "sent"
) -> None:
    """Store what the bot said, with the response name and its SMS segment count."""
    from bot.store import record_outbound, session_scope

    with session_scope() as session:
        record_outbound(
            session=session,
            conversation_id=conversation_id,
            channel=channel,
            text=text,
            response_name=response,
            author="bot",
            status=status,
            segments=count_segments(to_gsm7(text)),
        )


class RecordingCollectingOutputChannel(CollectingOutputChannel):
    """The dev REST channel's collector, which also writes the transcript."""

    def __init__(self, channel: str = "rest") -> None:
        super().__init__()
        self._channel = channel

    @classmethod
    def name(cls) -> str:
        return "rest"

    async def send_text_message(self, recipient_id: str, text: str, **kwargs: Any) -> None:
        record_bot_message(recipient_id, self._channel, text, kwargs.get("utter_action"))
        await super().send_text_message(recipient_id, text, **kwargs)
