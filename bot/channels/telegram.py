"""The Telegram channel: `POST /webhooks/telegram/webhook` with a JSON `Update`.

Each call is authenticated first (`X-Telegram-Bot-Api-Secret-Token` against
FAMILYBOT_TELEGRAM_SECRET in constant time; 403 otherwise, nothing stored), parsed with
python-telegram-bot (400 when malformed; 200 and nothing to do for updates without a
private-chat message), recorded under the provider id `update_id:message_id` (a retried
update is a no-op; the message id guards against Telegram re-using update ids after a
quiet week), acknowledged at once and processed by an `InboundWorker`, which resumes
unprocessed messages when the server starts. Replies go out through `TelegramSender`.

Decisions:
- Photos, stickers, voice notes, documents: recorded with empty text, so the gates
  answer `utter_unsupported_content`. A caption is the family's words and counts as text.
- `/start`: opens the check-in like any first message (Rasa gets its `/greet` intent
  shortcut); from an opted-out chat it is a START. `/start CODE` redeems a one-time link
  code when the message is recorded; the code is never stored (the message is recorded
  as START_LINKED or START_NOT_LINKED) and the check-in opens after a kind word.
- Edits: recorded (prefixed "(edited) ", provider id ending ":edited") and passed through
  the gates, so a STOP or a crisis in an edit counts, but never re-run through the
  check-in, which has moved on: staff see them as held messages.
- Other slash commands lose the slash, so no one can type Rasa's `/intent` shortcuts.
- Language: a message with no words to go by (a /start, a photo, "ok") seeds a new
  conversation's language from Telegram's app language (`language_code`).
- Groups, channels and bots are ignored; a chat that blocks the bot is opted out at once.
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from typing import Any

from rasa.core.channels.channel import InputChannel, OutputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.channels.gates import Inbound, Reply
from bot.channels.senders import Sender, SenderOutputChannel
from bot.channels.telegram_sender import TelegramSender
from bot.channels.worker import InboundWorker
from bot.settings import Settings

logger = logging.getLogger(__name__)

CHANNEL = "telegram"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"  # noqa: S105 - a header name
MAX_BODY_BYTES = 256 * 1024  # an update with a 4096-character text is a few kB
MAX_TEXT = 4096
SHUTDOWN_GRACE_SECONDS = 5.0

# What is recorded for a /start; a link code itself is never stored.
START = "/start"
START_LINKED = "/start (one-time link code accepted)"
START_NOT_LINKED = "/start (one-time link code not valid)"
EDITED_PREFIX = "(edited) "
EDITED_SUFFIX = ":edited"
# What the gates and Rasa see for a /start: Rasa's shortcut for the greet intent, which
# opens the check-in like any first message; for an opted-out chat, the START keyword.
OPENING = "/greet"
RESTART = "START"
LINK_REPLIES = {
    START_LINKED: "utter_telegram_linked",
    START_NOT_LINKED: "utter_telegram_link_invalid",
}


class TelegramRequestError(ValueError):
    """An authenticated body that is not a Telegram update; the message says why."""


@dataclass(frozen=True)
class TelegramMessage:
    """The parts of a private-chat message FamilyBot uses (the chat id stays in here)."""

    update_id: int
    message_id: int
    chat_id: str
    text: str
    edited: bool = False
    language_code: str | None = None

    @property
    def provider_id(self) -> str:
        """Unique per delivery of this message or edit, identical when Telegram retries."""
        suffix = EDITED_SUFFIX if self.edited else ""
        return f"{self.update_id}:{self.message_id}{suffix}"


@dataclass(frozen=True)
class BlockedChat:
    """The family blocked the bot (`my_chat_member` with status `kicked`)."""

    chat_id: str


def _is_id(value: Any) -> bool:
    """A Telegram identifier: an integer that fits in 64 bits (bool is not one)."""
    return isinstance(value, int) and not isinstance(value, bool) and abs(value) < 2**63


def read_json(body: bytes) -> dict[str, Any]:
    """The body as a JSON object, or TelegramRequestError."""
    if len(body) > MAX_BODY_BYTES:
        raise TelegramRequestError("the body is too large for a Telegram update")
    try:
        payload = json.loads(body or b"")
    except (ValueError, UnicodeDecodeError) as exc:
        raise TelegramRequestError("the body must be JSON") from exc
    if not isinstance(payload, dict):
        raise TelegramRequestError("the body must be a JSON object (a Telegram Update)")
    return payload


def parse_update(payload: dict[str, Any]) -> TelegramMessage | BlockedChat | None:
    """Read an Update with python-telegram-bot; None when it carries nothing for us."""
    if not _is_id(payload.get("update_id")):
        raise TelegramRequestError("update_id must be an integer")
    try:
        from telegram import Update

        update = Update.de_json(payload, None)
        return _from_update(update)
    except TelegramRequestError:
        raise
    except Exception as exc:  # python-telegram-bot trusts its input: any field may be odd
        raise TelegramRequestError("not a Telegram Update") from exc


def _from_update(update: Any) -> TelegramMessage | BlockedChat | None:
    """Keep what a check-in needs from an Update; python-telegram-bot checked no types."""
    member = update.my_chat_member
    if member is not None:
        if member.chat.type == "private" and member.new_chat_member.status == "kicked":
            if not _is_id(member.chat.id):
                raise TelegramRequestError("chat.id must be an integer")
            return BlockedChat(str(member.chat.id))
        return None
    message = update.message or update.edited_message
    if message is None or message.chat is None or message.chat.type != "private":
        return None  # channel posts, groups, callbacks: a check-in is one family's chat
    user = message.from_user
    if user is not None and user.is_bot is True:
        return None
    if not _is_id(message.chat.id) or not _is_id(message.message_id):
        raise TelegramRequestError("chat.id and message_id must be integers")
    text = message.text if isinstance(message.text, str) else message.caption
    text = text.replace("\x00", "")[:MAX_TEXT] if isinstance(text, str) else ""
    language = getattr(user, "language_code", None)
    return TelegramMessage(
        update_id=update.update_id,
        message_id=message.message_id,
        chat_id=str(message.chat.id),
        text=text,
        edited=update.edited_message is not None and update.message is None,
        language_code=language if isinstance(language, str) else None,
    )


def start_command(text: str) -> tuple[bool, str | None]:
    """Whether a text is /start (or /start@bot), and the deep-link payload it carries."""
    words = text.split(maxsplit=1)
    if not words:
        return False, None
    head = words[0].lower()
    if head != START and not head.startswith(START + "@"):
        return False, None
    payload = words[1].strip() if len(words) > 1 else ""
    return True, payload or None


class GatedTelegramInput(InputChannel):
    """Rasa input channel for Telegram: authenticated, recorded, acknowledged, then processed."""

    def __init__(self, settings: Settings | None = None, sender: Sender | None = None) -> None:
        if settings is None:
            from bot.settings import get_settings

            settings = get_settings()
        settings.check_telegram()  # fail closed at start-up, before any route exists
        self._settings = settings
        self.sender: Sender = sender or TelegramSender(settings)
        self.output = SenderOutputChannel(self.sender)
        self.worker: InboundWorker | None = None
        self.shutdown_grace = SHUTDOWN_GRACE_SECONDS
        self._app: Any = None

    @classmethod
    def name(cls) -> str:
        return CHANNEL

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> InputChannel:
        """Secrets come from bot.settings, never from credentials.yml."""
        return cls()

    def get_output_channel(self) -> OutputChannel:
        """Lets Rasa's HTTP API (trigger_intent, outreach) send through the same sender."""
        return self.output

    def authenticate(self, request: Request) -> bool:
        """Whether the secret header matches the configured secret (constant time)."""
        expected = self._settings.telegram_secret
        given = request.headers.get(SECRET_HEADER)
        if not expected or given is None:
            return False
        return hmac.compare_digest(
            given.encode("utf-8", "surrogateescape"), expected.encode("utf-8")
        )

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        """The webhook, plus listeners that resume the worker at start-up and drain it at stop."""
        webhook = Blueprint("familybot_telegram_webhook", __name__)
        worker = self.worker = InboundWorker(
            lambda inbound, message_id: self.process(inbound, message_id, on_new_message)
        )

        @webhook.listener("after_server_start")
        async def resume(app: Any, loop: Any) -> None:
            # After Rasa's before_server_start listener has loaded the agent.
            self._app = app
            await worker.recover(CHANNEL)

        @webhook.listener("before_server_stop")
        async def drain(app: Any, loop: Any) -> None:
            try:
                await worker.join(timeout=self.shutdown_grace)
            except asyncio.TimeoutError:
                logger.info("stopping with telegram messages unprocessed; they resume on restart")

        @webhook.route("/", methods=["GET"])
        async def health(request: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            if not self.authenticate(request):
                logger.warning("telegram webhook: refused a request without the secret token")
                return response.text("forbidden", status=403)
            try:
                parsed = parse_update(read_json(request.body or b""))
            except TelegramRequestError as exc:
                logger.warning("telegram webhook: refused an authenticated request: %s", exc)
                return response.text(str(exc), status=400)
            if parsed is None:
                return response.text("ok")
            self._app = request.app
            key = self._settings.secret_key
            try:
                if isinstance(parsed, BlockedChat):
                    await asyncio.to_thread(_block, parsed, key)
                    return response.text("ok")
                inbound, message_id = await asyncio.to_thread(_record, parsed, key)
            except Exception as exc:  # nothing acknowledged: Telegram delivers it again
                logger.error(
                    "telegram webhook: could not record an update (%s)", type(exc).__name__
                )
                return response.text("not recorded", status=500)
            if message_id is None:
                logger.info("telegram webhook: update %s was a retry", parsed.update_id)
            else:
                worker.submit(inbound, message_id)
            return response.text("ok")

        return webhook

    async def process(
        self, inbound: Inbound, message_id: int, on_new_message: Callable[[UserMessage], Any]
    ) -> None:
        """Run one recorded message through the gates, and the check-in unless it is an edit."""
        from bot.channels.pipeline import InboundPipeline

        if not await asyncio.to_thread(_still_unprocessed, message_id):
            return  # submitted twice (a restart racing a webhook): processed already
        edited = (inbound.provider_id or "").endswith(EDITED_SUFFIX)
        text = inbound.text
        if edited:
            text = text.removeprefix(EDITED_PREFIX)
        is_start, _ = start_command(text)
        if is_start:
            opted_out = await asyncio.to_thread(_opted_out, inbound.conversation_id)
            text = RESTART if opted_out and not edited else OPENING
        elif text.startswith("/"):
            text = text.lstrip("/")
        agent = self._app.ctx.agent
        forward = self._rasa_edge(inbound, edited, agent, on_new_message)
        result = await InboundPipeline(forward, agent).process(
            replace(inbound, text=text), message_id, self.output
        )
        if edited and result.outcome == "forward":
            await asyncio.to_thread(_hold, message_id)

    def _rasa_edge(
        self,
        inbound: Inbound,
        edited: bool,
        agent: Any,
        on_new_message: Callable[[UserMessage], Any],
    ) -> Callable[[UserMessage], Awaitable[None]]:
        """What the pipeline calls instead of Rasa: nothing for an edit, a link reply first."""
        from bot.channels.pipeline import render

        async def forward(message: UserMessage) -> None:
            if edited:
                return  # kept for staff; an old answer never re-runs the check-in
            response_name = LINK_REPLIES.get(inbound.text)
            if response_name is not None:
                language = await asyncio.to_thread(_language_of, inbound.conversation_id)
                text = await render(agent, Reply(response_name), language, CHANNEL)
                if text:
                    await self.output.send_text_message(
                        inbound.conversation_id, text, utter_action=response_name
                    )
            await on_new_message(message)

        return forward


def _record(message: TelegramMessage, key: str) -> tuple[Inbound, int | None]:
    """Find or create the chat's conversation, record the message, redeem a link code."""
    from bot import store
    from bot.channels import gates

    with store.session_scope() as session:
        conversation = store.conversation_for_contact(
            session=session, channel=CHANNEL, address=message.chat_id, key=key
        )
        is_start, code = start_command(message.text)
        text = message.text
        if is_start:
            text = START_NOT_LINKED if code and not message.edited else START
        if message.edited:
            text = EDITED_PREFIX + text
        inbound = Inbound(str(conversation.id), CHANNEL, text, message.provider_id)
        message_id = gates.record(inbound, session=session)
        if message_id is None:
            return inbound, None
        if is_start and code and not message.edited:
            family = store.redeem_link_code(
                session=session, code=code, channel=CHANNEL, address=message.chat_id, key=key
            )
            if family is not None:
                inbound = replace(inbound, text=START_LINKED)
                session.get(store.Message, message_id).text = START_LINKED
        words = "" if is_start else message.text
        _seed_language(session, conversation, words, message.language_code)
        return inbound, message_id


def _seed_language(session: Any, conversation: Any, words: str, language_code: str | None) -> None:
    """With no words to go by and no language on record, take Telegram's app language."""
    from bot import store
    from bot.core.language import (
        ENABLED_LANGUAGES,
        UnknownLanguage,
        detect_language,
        normalize_language,
        requested_language,
    )

    family = conversation.family
    if conversation.language or (family is not None and family.preferred_language):
        return
    if not language_code or requested_language(words) or detect_language(words):
        return
    try:
        language = normalize_language(language_code)
    except UnknownLanguage:
        return
    if language in ENABLED_LANGUAGES:
        store.set_conversation_language(
            session=session, conversation_id=conversation.id, language=language
        )


def _block(blocked: BlockedChat, key: str) -> None:
    """The family blocked the bot: honour it as an opt-out before anything else is sent."""
    from bot import store
    from bot.store.columns import utcnow

    with store.session_scope() as session:
        contact = store.find_contact_point(
            session=session, channel=CHANNEL, address=blocked.chat_id, key=key
        )
        if contact is not None and contact.opted_out_at is None:
            contact.opted_out_at = utcnow()
            logger.info("telegram: a family blocked the bot; their chat is opted out")


def _still_unprocessed(message_id: int) -> bool:
    """Whether an inbound message still waits for processing (a guard against doing it twice)."""
    from bot.store import Message, session_scope

    with session_scope() as session:
        message = session.get(Message, message_id)
        return message is not None and message.status == "received"


def _opted_out(conversation_id: str) -> bool:
    """Whether a /start from this chat is a way back in rather than a first hello."""
    from bot.store import is_opted_out, session_scope

    with session_scope() as session:
        return is_opted_out(session=session, conversation_id=conversation_id)


def _language_of(conversation_id: str) -> str:
    """The language the gates settled on for this conversation."""
    from bot.settings import get_settings
    from bot.store import conversation_context, session_scope

    with session_scope() as session:
        context = conversation_context(session=session, conversation_id=conversation_id)
    return context.language or get_settings().default_language


def _hold(message_id: int) -> None:
    """Keep an edit for staff: it was seen by the gates but is not a new answer."""
    from bot.store import mark_processed, session_scope

    with session_scope() as session:
        mark_processed(session=session, message_id=message_id, status="held")
