"""The Telegram channel running for real: a Sanic server on 127.0.0.1 with Rasa's own
channel registration, the real gates and database, the fake Bot API, and a stand-in for
Rasa's `agent.handle_message` at the edge. Also real Telegram `Update` JSON builders.
"""

from __future__ import annotations

import asyncio
import itertools
import socket
import threading
import time
import uuid
from collections.abc import Coroutine
from functools import lru_cache
from pathlib import Path
from typing import Any

import httpx
import pytest
from rasa.core.channels.channel import UserMessage, register
from sanic import Sanic
from sqlalchemy import func, select

from bot.channels.telegram import SECRET_HEADER, GatedTelegramInput
from bot.channels.telegram_sender import TelegramSender
from tests.fakes.telegram_api import FakeTelegramApi

REPO = Path(__file__).resolve().parents[2]
SECRET = "s3cret_Token-for-the-webhook-0123456789"
WEBHOOK = "/webhooks/telegram/webhook"
CHAT = 987654321  # a family's private chat (Telegram user id == private chat id)
_update_ids = itertools.count(700_000_001)
_message_ids = itertools.count(11)


@lru_cache(maxsize=1)
def _domain() -> Any:
    from rasa.shared.core.domain import Domain

    return Domain.load(str(REPO / "domain.yml"))


# --- real Update JSON ------------------------------------------------------------------


def _user(chat_id: int, language_code: str | None) -> dict[str, Any]:
    user: dict[str, Any] = {"id": chat_id, "is_bot": False, "first_name": "Maria"}
    if language_code:
        user["language_code"] = language_code
    return user


def message_update(
    content: dict[str, Any],
    *,
    chat_id: int = CHAT,
    language_code: str | None = "en",
    update_id: int | None = None,
    message_id: int | None = None,
    edited: bool = False,
) -> dict[str, Any]:
    """An Update as Telegram posts it for a private chat, with the given message content."""
    message = {
        "message_id": message_id or next(_message_ids),
        "from": _user(chat_id, language_code),
        "chat": {"id": chat_id, "first_name": "Maria", "type": "private"},
        "date": 1_763_900_000,
        **content,
    }
    if edited:
        message["edit_date"] = 1_763_900_060
    key = "edited_message" if edited else "message"
    return {"update_id": update_id or next(_update_ids), key: message}


def text_update(text: str, **kwargs: Any) -> dict[str, Any]:
    content: dict[str, Any] = {"text": text}
    if text.startswith("/"):
        length = len(text.split()[0])
        content["entities"] = [{"offset": 0, "length": length, "type": "bot_command"}]
    return message_update(content, **kwargs)


PHOTO = {
    "photo": [
        {"file_id": "AgACAgEAAxkBAAIBb2", "file_unique_id": "AQADsa", "file_size": 1467,
         "width": 90, "height": 67},
        {"file_id": "AgACAgEAAxkBAAIBb3", "file_unique_id": "AQADsb", "file_size": 60213,
         "width": 800, "height": 600},
    ]
}  # fmt: skip
STICKER = {
    "sticker": {
        "file_id": "CAACAgIAAxkBAAIBcG", "file_unique_id": "AgADiQ", "type": "regular",
        "width": 512, "height": 512, "is_animated": True, "is_video": False,
        "emoji": "😊", "set_name": "HappyFaces", "file_size": 23476,
    }
}  # fmt: skip
VOICE = {
    "voice": {"file_id": "AwACAgEAAxkBAAIBcW", "file_unique_id": "AgADkQ", "duration": 4,
              "mime_type": "audio/ogg", "file_size": 15724}
}  # fmt: skip
DOCUMENT = {
    "document": {"file_id": "BQACAgEAAxkBAAIBcm", "file_unique_id": "AgADkg",
                 "file_name": "doctor-note.pdf", "mime_type": "application/pdf",
                 "file_size": 84211}
}  # fmt: skip


# --- a stand-in for Rasa at the edge ------------------------------------------------------


class FakeRasa:
    """What `agent.handle_message` would do for a first message: open the check-in.

    It reads the language the way `action_session_start` does (from the family record) and
    answers with the real `utter_opening_generic` through the message's output channel.
    """

    def __init__(self) -> None:
        self.received: list[UserMessage] = []
        self.release = threading.Event()
        self.release.set()

    async def handle_message(self, message: UserMessage) -> None:
        self.received.append(message)
        while not self.release.is_set():  # a Rasa turn that hangs (a crash mid-way)
            await asyncio.sleep(0.01)
        from bot.channels.gates import Reply
        from bot.channels.pipeline import render

        language = await asyncio.to_thread(_family_language, message.sender_id)
        text = await render(_agent(), Reply("utter_opening_generic"), language, "telegram")
        await message.output_channel.send_text_message(
            message.sender_id, text, utter_action="utter_opening_generic"
        )


def _family_language(conversation_id: str) -> str:
    from bot.store import conversation_context, session_scope

    with session_scope() as session:
        return (
            conversation_context(session=session, conversation_id=conversation_id).language or "en"
        )


def _agent() -> Any:
    from types import SimpleNamespace

    from rasa.core.nlg.response import TemplatedNaturalLanguageGenerator

    domain = _domain()
    return SimpleNamespace(domain=domain, nlg=TemplatedNaturalLanguageGenerator(domain.responses))


# --- the live server ---------------------------------------------------------------------


class LiveSanic:
    """A Sanic app served on 127.0.0.1 from its own thread and event loop, like `rasa run`."""

    def __init__(self, app: Sanic) -> None:
        self.app = app
        self.loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self._sock = socket.socket()
        self._sock.bind(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self._sock.getsockname()[1]}"
        self._server: Any = None

    def call(self, coro: Coroutine[Any, Any, Any], timeout: float = 20) -> Any:
        """Run a coroutine on the server's loop and wait for its result."""
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(timeout)

    def start(self) -> LiveSanic:
        self._thread.start()
        self._server = self.call(self._start())
        return self

    async def _start(self) -> Any:
        server = await self.app.create_server(
            sock=self._sock, return_asyncio_server=True, access_log=False
        )
        # create_server has bound the socket already (it awaits the AsyncioServer).
        await server.startup()
        await server.before_start()
        await server.after_start()  # the channel's start-up recovery runs here
        return server

    def stop(self) -> None:
        """Stop as Sanic does on SIGTERM; unfinished background work dies with the loop."""
        if self._server is None:
            return
        self.call(self._stop())
        self._server = None
        for task in asyncio.all_tasks(self.loop):
            self.loop.call_soon_threadsafe(task.cancel)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self._thread.join(5)

    async def _stop(self) -> None:
        await self._server.before_stop()
        closing = self._server.close()
        for connection in list(self._server.connections):
            connection.close_if_idle()
        if closing is not None:
            await asyncio.wait_for(closing, 5)
        await self._server.after_stop()


class TelegramStack:
    """The fake Bot API, settings pointing at it, and a restartable live Rasa server."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        from bot.settings import get_settings

        self.api = FakeTelegramApi().start()
        monkeypatch.setenv("FAMILYBOT_TELEGRAM_TOKEN", self.api.token)
        monkeypatch.setenv("FAMILYBOT_TELEGRAM_SECRET", SECRET)
        monkeypatch.setenv("FAMILYBOT_TELEGRAM_API_URL", self.api.base_url)
        monkeypatch.setenv("FAMILYBOT_PUBLIC_URL", "https://familybot.example.org")
        get_settings.cache_clear()
        # Sanic 21.12 rewrites its own functions once per process unless in test mode,
        # so a second app (a restart, the next test) needs it.
        monkeypatch.setattr(Sanic, "test_mode", True)
        self.rasa = FakeRasa()
        self.live: LiveSanic | None = None
        self.channel: GatedTelegramInput | None = None
        self.http = httpx.Client(timeout=10)

    def start(self) -> TelegramStack:
        """Start a Rasa-like server: a new app, a new channel (a new process, as it were)."""
        app = Sanic(f"familybot-telegram-{uuid.uuid4().hex[:8]}", configure_logging=False)
        agent = _agent()
        agent.handle_message = self.rasa.handle_message
        app.ctx.agent = agent
        sender = TelegramSender(sleep=_no_sleep)
        self.channel = GatedTelegramInput(sender=sender)
        register([self.channel], app, route="/webhooks/")
        self.live = LiveSanic(app).start()
        return self

    def restart(self) -> None:
        self.stop_server()
        self.start()

    def stop_server(self) -> None:
        if self.live is not None:
            self.live.stop()
            self.live = None

    def close(self) -> None:
        self.rasa.release.set()
        self.stop_server()
        self.http.close()
        self.api.stop()

    def post(
        self, update: Any, *, secret: str | None = SECRET, headers: dict[str, str] | None = None
    ) -> httpx.Response:
        """POST to the webhook as Telegram does (JSON, the secret header)."""
        assert self.live is not None
        sent = dict(headers or {})
        if secret is not None:
            sent[SECRET_HEADER] = secret
        if isinstance(update, bytes | str):
            return self.http.post(self.live.url + WEBHOOK, content=update, headers=sent)
        return self.http.post(self.live.url + WEBHOOK, json=update, headers=sent)

    def settle(self) -> None:
        """Wait for the background worker to finish everything submitted so far."""
        assert self.live is not None and self.channel is not None and self.channel.worker
        self.live.call(self.channel.worker.join(timeout=10))

    def send(self, update: dict[str, Any]) -> httpx.Response:
        """POST an update and wait until it has been processed."""
        answer = self.post(update)
        self.settle()
        return answer


async def _no_sleep(seconds: float) -> None:
    return None


def wait_until(predicate: Any, timeout: float = 5.0) -> None:
    """Poll until predicate() is true (work running in the server's thread)."""
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError("timed out waiting")
        time.sleep(0.01)


def count_rows() -> dict[str, int]:
    """How many rows each table that a webhook could write holds."""
    from bot.store import ContactPoint, Conversation, Family, Message, session_scope

    with session_scope() as session:
        return {
            model.__tablename__: session.execute(select(func.count()).select_from(model)).scalar()
            for model in (Message, Conversation, ContactPoint, Family)
        }
