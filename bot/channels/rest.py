"""The dev REST channel (`POST /webhooks/rest/webhook`), through the same gates as a phone."""

from __future__ import annotations

import json
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.channels.gates import Inbound
from bot.channels.output import RecordingCollectingOutputChannel

logger = logging.getLogger(__name__)

MAX_SENDER_LENGTH = 128
MAX_MESSAGE_LENGTH = 4096


class RestRequestError(ValueError):
    """The request body is not what the REST channel accepts; the message says why."""


def parse_rest_body(body: bytes) -> tuple[str, str]:
    """Read `{"sender": ..., "message": ...}`, refusing anything else with a clear reason."""
    try:
        payload = json.loads(body or b"")
    except (ValueError, UnicodeDecodeError) as exc:
        raise RestRequestError("the body must be JSON") from exc
    if not isinstance(payload, dict):
        raise RestRequestError(
            'the body must be a JSON object like {"sender": ..., "message": ...}'
        )
    sender, message = payload.get("sender"), payload.get("message")
    if not isinstance(sender, str) or not sender.strip():
        raise RestRequestError('"sender" must be a non-empty string')
    if len(sender) > MAX_SENDER_LENGTH or not sender.isprintable():
        raise RestRequestError(
            f'"sender" must be printable and at most {MAX_SENDER_LENGTH} characters'
        )
    if message is None:
        message = ""
    if not isinstance(message, str):
        raise RestRequestError('"message" must be a string')
    if len(message) > MAX_MESSAGE_LENGTH:
        raise RestRequestError(f'"message" must be at most {MAX_MESSAGE_LENGTH} characters')
    return sender.strip(), message


class GatedRestInput(InputChannel):
    """Rasa's REST channel contract, but every message passes the shared inbound gates."""

    @classmethod
    def name(cls) -> str:
        return "rest"

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        from bot.channels.pipeline import InboundPipeline

        webhook = Blueprint("familybot_rest_webhook", __name__)

        @webhook.route("/", methods=["GET"])
        async def health(request: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            try:
                sender, text = parse_rest_body(request.body)
            except RestRequestError as exc:
                return response.json({"error": str(exc)}, status=400)
            collector = RecordingCollectingOutputChannel("rest")
            pipeline = InboundPipeline(on_new_message, request.app.ctx.agent)
            try:
                await pipeline.handle(Inbound(sender, "rest", text), collector)
            except Exception:  # the message is recorded; say so without leaking details
                logger.exception("the REST channel failed to process a message")
                return response.json(
                    {"error": "the message was saved but not processed"}, status=500
                )
            return response.json(collector.messages)

        return webhook
