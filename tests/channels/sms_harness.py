"""The SMS channel running in a real Sanic server, with the fake Twilio API behind it."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from bot.channels.senders import TwilioSender
from bot.channels.sms import TwilioSmsInput
from bot.settings import Settings, get_settings
from bot.store import Message, session_scope
from tests.fakes import ChannelServer, StandInAgent, Turn, load_nlg, reply_from_rasa
from tests.fakes.twilio_api import (
    ACCOUNT_SID,
    AUTH_TOKEN,
    FROM_NUMBER,
    PUBLIC_URL,
    WEBHOOK_PATH,
    FakeTwilioApi,
    signed_form,
)


class SmsServer:
    """A running SMS channel: post signed webhooks to it, read what it stored and sent."""

    def __init__(self, settings: Settings, nlg: tuple[Any, Any], turn: Turn = reply_from_rasa):
        self.delays: list[float] = []
        self.sender = TwilioSender(settings, sleep=self._sleep)
        self.channel = TwilioSmsInput(settings, sender=self.sender)
        self.agent = StandInAgent(*nlg, turn=turn)
        self.server = ChannelServer(self.channel, self.agent)
        self.client = httpx.Client(timeout=30)

    async def _sleep(self, seconds: float) -> None:
        self.delays.append(seconds)

    def start(self) -> SmsServer:
        self.server.start()
        return self

    def stop(self) -> None:
        self.client.close()
        self.server.stop()

    def crash(self) -> None:
        self.client.close()
        self.server.crash()

    def post(
        self,
        params: dict[str, str],
        path: str = WEBHOOK_PATH,
        *,
        headers: dict[str, str] | None = None,
        query: str = "",
        **sign: Any,
    ) -> httpx.Response:
        """POST a webhook signed as Twilio would for the public URL (unless told otherwise)."""
        if query and "url" not in sign:
            sign["url"] = f"{PUBLIC_URL}{path}?{query}"
        body, signed_headers = signed_form(params, path, **sign)
        url = self.server.base_url + path + (f"?{query}" if query else "")
        return self.client.post(url, content=body, headers={**signed_headers, **(headers or {})})

    def deliver(self, params: dict[str, str], **kw: Any) -> httpx.Response:
        """POST a webhook and wait until the message has been processed."""
        response = self.post(params, **kw)
        self.settle()
        return response

    def settle(self) -> None:
        self.server.settle()


def settings_for(api_url: str) -> Settings:
    """Settings with the SMS channel configured against the fake Twilio API."""
    return replace(
        get_settings(),
        env="test",
        public_url=PUBLIC_URL,
        twilio_account_sid=ACCOUNT_SID,
        twilio_auth_token=AUTH_TOKEN,
        twilio_from=FROM_NUMBER,
        twilio_api_url=api_url,
    )


def stored(direction: str | None = None) -> list[Message]:
    """Every message in the database (one direction or both), oldest first."""
    with session_scope() as session:
        query = select(Message).order_by(Message.id)
        if direction:
            query = query.where(Message.direction == direction)
        return list(session.execute(query).scalars())


@pytest.fixture(scope="session")
def nlg() -> tuple[Any, Any]:
    return load_nlg()


@pytest.fixture
def sms_settings(app_db: str, fake_twilio: FakeTwilioApi) -> Settings:
    return settings_for(fake_twilio.url)


@pytest.fixture
def sms(sms_settings: Settings, nlg: tuple[Any, Any]) -> Iterator[SmsServer]:
    server = SmsServer(sms_settings, nlg).start()
    try:
        yield server
    finally:
        server.stop()
