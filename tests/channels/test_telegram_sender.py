"""TelegramSender through the fake Bot API on 127.0.0.1: records, retries, refusals."""

from __future__ import annotations

import asyncio
import logging
import socket

import pytest
from sqlalchemy import select

from bot.channels.senders import SenderOutputChannel
from bot.channels.telegram_sender import TelegramSender, split_text
from bot.settings import get_settings
from bot.store import (
    Message,
    conversation_for_contact,
    get_or_create_conversation,
    is_opted_out,
    opt_out,
    session_scope,
)
from tests.fakes.telegram_api import (
    Answer,
    FakeTelegramApi,
    blocked,
    chat_not_found,
    server_error,
    slow,
    too_many,
)

CHAT = 555000111


@pytest.fixture
def api(app_db, monkeypatch):
    with FakeTelegramApi() as fake:
        monkeypatch.setenv("FAMILYBOT_TELEGRAM_TOKEN", fake.token)
        monkeypatch.setenv("FAMILYBOT_TELEGRAM_SECRET", "s3cret_Token-for-the-webhook")
        monkeypatch.setenv("FAMILYBOT_TELEGRAM_API_URL", fake.base_url)
        get_settings.cache_clear()
        yield fake


@pytest.fixture
def cid(api) -> str:
    """A family's Telegram conversation, known only by its opaque id."""
    with session_scope() as session:
        conversation = conversation_for_contact(
            session=session, channel="telegram", address=str(CHAT), key=get_settings().secret_key
        )
        return str(conversation.id)


class Sleeps(list):
    """An injectable sleep that remembers how long it was asked to wait."""

    async def __call__(self, seconds: float) -> None:
        self.append(seconds)


def send(text: str, cid: str, **kwargs):
    sleeps = Sleeps()
    options = {k: kwargs.pop(k) for k in ("timeout", "max_attempts") if k in kwargs}
    sender = TelegramSender(sleep=sleeps, **options)
    results = asyncio.run(sender.send(cid, text, **kwargs))
    return results, sleeps


def outbound() -> list[Message]:
    with session_scope() as session:
        query = select(Message).where(Message.direction == "out").order_by(Message.id)
        return list(session.execute(query).scalars().all())


def test_a_message_is_sent_and_recorded_with_telegram_message_id(api, cid):
    (result,), sleeps = send("Hi! How are you?", cid, response_name="utter_opening_generic")
    assert (result.status, result.provider_id, result.error_code) == ("sent", f"{cid}:1001", None)
    assert api.sent() == [{"chat_id": CHAT, "text": "Hi! How are you?"}]
    assert [c.token for c in api.calls] == [api.token]
    (message,) = outbound()
    assert (message.status, message.provider_id, message.response_name, message.author) == (
        "sent",
        f"{cid}:1001",
        "utter_opening_generic",
        "bot",
    )
    assert (message.channel, message.conversation_id, message.text) == (
        "telegram",
        cid,
        "Hi! How are you?",
    )
    assert sleeps == []


def test_429_waits_exactly_retry_after_then_sends(api, cid):
    api.script(too_many(3))
    (result,), sleeps = send("hello", cid)
    assert result.status == "sent"
    assert sleeps == [3.0]
    assert [c.status for c in api.calls] == [429, 200]


def test_5xx_is_retried_with_growing_backoff(api, cid):
    api.script(server_error(500), server_error(502))
    (result,), sleeps = send("hello", cid)
    assert result.status == "sent"
    assert sleeps == [0.5, 1.0]
    assert [c.status for c in api.calls] == [500, 502, 200]
    assert [m.status for m in outbound()] == ["sent"]


def test_retries_are_bounded_and_the_failure_is_recorded(api, cid):
    api.script(*[server_error()] * 5)
    (result,), sleeps = send("hello", cid)
    assert (result.status, result.error_code) == ("failed", "http_500")
    assert len(api.calls) == 4 and sleeps == [0.5, 1.0, 2.0]
    (message,) = outbound()
    assert (message.status, message.error_code, message.provider_id) == ("failed", "http_500", None)


def test_a_wait_longer_than_we_hold_a_reply_fails_without_waiting(api, cid):
    api.script(too_many(3600))
    (result,), sleeps = send("hello", cid)
    assert (result.status, result.error_code) == ("failed", "429")
    assert sleeps == [] and len(api.calls) == 1


def test_a_timeout_is_retried(api, cid):
    api.script(slow(1.0))
    (result,), sleeps = send("hello", cid, timeout=0.2)
    assert result.status == "sent"
    assert sleeps == [0.5]
    assert len(api.calls) == 2


def test_an_unreachable_api_fails_after_the_bounded_retries(api, cid, monkeypatch):
    with socket.socket() as sock:  # a port with nobody listening
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    monkeypatch.setenv("FAMILYBOT_TELEGRAM_API_URL", f"http://127.0.0.1:{port}/bot")
    get_settings.cache_clear()
    (result,), sleeps = send("hello", cid, max_attempts=3)
    assert (result.status, result.error_code) == ("failed", "connection")
    assert sleeps == [0.5, 1.0]


def test_a_family_that_blocked_the_bot_is_not_retried_and_is_opted_out(api, cid):
    api.script(blocked())
    (result,), sleeps = send("hello", cid)
    assert (result.status, result.error_code) == ("failed", "403_blocked")
    assert sleeps == [] and len(api.calls) == 1
    with session_scope() as session:
        assert is_opted_out(session=session, conversation_id=cid)
    (refused,), _ = send("are you there?", cid, author="staff")
    assert (refused.status, refused.error_code) == ("refused", "opted_out")
    assert len(api.calls) == 1 and len(outbound()) == 1


def test_chat_not_found_is_recorded_and_not_retried(api, cid):
    api.script(chat_not_found())
    (result,), sleeps = send("hello", cid)
    assert (result.status, result.error_code) == ("failed", "400_chat_not_found")
    assert sleeps == [] and len(api.calls) == 1
    with session_scope() as session:
        assert not is_opted_out(session=session, conversation_id=cid)


def test_nothing_reaches_an_opted_out_family_but_the_stop_confirmation(api, cid):
    with session_scope() as session:
        opt_out(session=session, conversation_id=cid)
    for author, name in (("staff", None), ("system", "utter_opening"), ("bot", "utter_close")):
        (result,), _ = send("hello", cid, author=author, response_name=name)
        assert (result.status, result.error_code) == ("refused", "opted_out")
    assert api.calls == [] and outbound() == []
    (confirmation,), _ = send("You're unsubscribed.", cid, response_name="utter_stop_confirm")
    assert confirmation.status == "sent"


def test_a_conversation_without_a_chat_is_refused(api):
    with session_scope() as session:
        get_or_create_conversation(session=session, conversation_id="dev-1", channel="rest")
    (result,), _ = send("hello", "dev-1")
    assert (result.status, result.error_code) == ("refused", "no_address")
    assert api.calls == []


def test_staff_replies_are_recorded_as_staff(api, cid):
    send("Hi, this is Ms. Lee from the front office.", cid, author="staff")
    assert [(m.author, m.status) for m in outbound()] == [("staff", "sent")]


def test_a_very_long_text_goes_out_in_parts(api, cid):
    text = ("word " * 1700).strip()  # 8,499 characters
    results, _ = send(text, cid, author="staff")
    assert [r.status for r in results] == ["sent", "sent", "sent"]
    assert " ".join(api.texts(CHAT)) == text
    assert all(len(t) <= 4000 for t in api.texts(CHAT))


@pytest.mark.parametrize(
    ("text", "limit", "parts"),
    [
        ("", 10, []),
        ("short", 10, ["short"]),
        ("one two three four", 9, ["one two", "three", "four"]),
        ("abcdefghijkl", 5, ["abcde", "fghij", "kl"]),  # no space: cut anyway
    ],
)
def test_split_text(text, limit, parts):
    assert split_text(text, limit) == parts


def test_the_output_channel_sends_rasa_replies_through_the_sender(api, cid):
    output = SenderOutputChannel(TelegramSender())
    assert output.name() == "telegram"
    asyncio.run(output.send_text_message(cid, "How are you?", utter_action="utter_opening"))
    assert api.texts(CHAT) == ["How are you?"]
    assert [m.response_name for m in outbound()] == ["utter_opening"]


def test_the_token_never_reaches_the_logs(api, cid, caplog):
    api.script(server_error())
    with caplog.at_level(logging.DEBUG):
        send("hello", cid)
    assert "sendMessage" in caplog.text  # httpx logged the request URL...
    assert api.token not in caplog.text  # ...without the token
    assert str(CHAT) not in caplog.text


def test_an_unexpected_answer_is_a_failure_not_a_crash(api, cid):
    api.script(Answer(200, {"ok": False, "description": "strange"}))
    (result,), _ = send("hello", cid)
    assert (result.status, result.error_code) == ("failed", "200")
