"""The Telegram webhook in a live Sanic server with the real gates, database and domain,
the fake Bot API on 127.0.0.1, and a stand-in for Rasa at the edge."""

from __future__ import annotations

import logging

import pytest
from sqlalchemy import select

from bot.channels.telegram import START
from bot.store import (
    ContactPoint,
    Conversation,
    Escalation,
    Message,
    is_opted_out,
    session_scope,
)
from tests.channels.telegram_stack import (
    CHAT,
    DOCUMENT,
    PHOTO,
    SECRET,
    STICKER,
    VOICE,
    TelegramStack,
    count_rows,
    message_update,
    text_update,
    wait_until,
)

OPENING_EN = "Hi! This is your child's school. How are you and your family doing this week?"
UNSUPPORTED_EN = "Sorry, I can only read text messages. Could you type your answer?"
UNSUPPORTED_ES = "Perdón, solo puedo leer mensajes de texto. ¿Me lo puede escribir?"
STOP_EN = "You're unsubscribed and won't get more messages from us. Reply START to opt back in."
WELCOME_BACK_EN = (
    "Welcome back! You'll get messages from your child's school again. "
    "Reply STOP anytime to opt out."
)


@pytest.fixture
def stack(app_db, monkeypatch):
    running = TelegramStack(monkeypatch).start()
    yield running
    running.close()


def inbound_messages() -> list[Message]:
    with session_scope() as session:
        return list(
            session.execute(select(Message).where(Message.direction == "in").order_by(Message.id))
            .scalars()
            .all()
        )


def outbound_messages() -> list[Message]:
    with session_scope() as session:
        return list(
            session.execute(select(Message).where(Message.direction == "out").order_by(Message.id))
            .scalars()
            .all()
        )


def the_conversation() -> Conversation:
    with session_scope() as session:
        (conversation,) = session.execute(select(Conversation)).scalars().all()
        return conversation


# --- the path of one message ---------------------------------------------------------------


def test_a_text_message_is_recorded_acknowledged_processed_and_answered(stack):
    update = text_update("hi there")
    answer = stack.send(update)

    assert (answer.status_code, answer.text) == (200, "ok")
    (message,) = stack.rasa.received
    assert (message.text, message.input_channel, message.parse_data) == (
        "hi there",
        "telegram",
        None,
    )
    assert message.sender_id.startswith("c_") and str(CHAT) not in message.sender_id
    (recorded,) = inbound_messages()
    provider_id = f"{update['update_id']}:{update['message']['message_id']}"
    assert (recorded.text, recorded.provider_id, recorded.status) == (
        "hi there",
        provider_id,
        "processed",
    )
    assert stack.api.sent() == [{"chat_id": CHAT, "text": OPENING_EN}]
    (reply,) = outbound_messages()
    assert (reply.status, reply.response_name, reply.author) == (
        "sent",
        "utter_opening_generic",
        "bot",
    )
    assert reply.provider_id == f"{message.sender_id}:1001"


def test_the_webhook_answers_before_a_slow_rasa_turn_ends(stack):
    stack.rasa.release.clear()  # Rasa is busy
    answer = stack.post(text_update("hello"))
    assert answer.status_code == 200
    wait_until(lambda: len(stack.rasa.received) == 1)
    assert [m.status for m in inbound_messages()] == ["received"]
    stack.rasa.release.set()
    stack.settle()
    assert [m.status for m in inbound_messages()] == ["processed"]


def test_a_retried_update_is_processed_once(stack):
    update = text_update("hello")
    answers = [stack.post(update).status_code for _ in range(2)]
    stack.settle()
    answers.append(stack.send(update).status_code)  # retried after it was processed, too
    assert answers == [200, 200, 200]
    assert [m.text for m in stack.rasa.received] == ["hello"]
    assert len(inbound_messages()) == 1
    assert stack.api.texts() == [OPENING_EN]


def test_a_family_messages_are_processed_in_order(stack):
    for text in ("one", "two", "three"):
        assert stack.post(text_update(text)).status_code == 200
    stack.settle()
    assert [m.text for m in stack.rasa.received] == ["one", "two", "three"]


# --- authentication ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "secret",
    [
        None,  # no header at all
        "",
        "wrong",
        "x" * len(SECRET),  # the right length, the wrong value
        SECRET[:-1] + ("A" if SECRET[-1] != "A" else "B"),  # one character off
        SECRET.upper(),
        SECRET[:8],  # a prefix
    ],
    ids=["missing", "empty", "wrong", "same-length", "one-off", "case", "prefix"],
)
def test_a_request_without_the_secret_is_refused_and_leaves_no_trace(stack, secret, caplog):
    before = count_rows()
    with caplog.at_level(logging.INFO):
        answer = stack.post(text_update("STOP"), secret=secret)
    assert answer.status_code == 403
    stack.settle()
    assert count_rows() == before
    assert stack.rasa.received == [] and stack.api.calls == []
    refusals = [r for r in caplog.records if "refused" in r.getMessage()]
    assert len(refusals) == 1 and str(CHAT) not in caplog.text


def test_the_secret_is_checked_before_the_body_is_read(stack):
    assert stack.post(b"not json at all", secret="wrong").status_code == 403


@pytest.mark.parametrize(
    "body",
    [
        b"",
        b"not json",
        b"\xff\xfe",
        b"[1, 2]",
        b'"an update"',
        b"{}",
        b'{"update_id": "12"}',
        b'{"update_id": true}',
        b'{"update_id": 1, "message": "hello"}',
        b'{"update_id": 1, "message": {"chat": {}}}',
        b'{"update_id": 1, "message": {"message_id": 1, "date": 0,'
        b' "chat": {"id": "abc", "type": "private"}, "text": "hi"}}',
        b'{"update_id": 1, "message": {"message_id": 1, "date": "today",'
        b' "chat": {"id": 5, "type": "private"}, "text": "hi"}}',
    ],
)
def test_a_malformed_update_is_a_400_and_stores_nothing(stack, body):
    before = count_rows()
    assert stack.post(body).status_code == 400
    assert count_rows() == before


@pytest.mark.parametrize(
    "update",
    [
        {"update_id": 5},
        {
            "update_id": 6,
            "callback_query": {
                "id": "4382bfdwdsb323b2d9",
                "from": {"id": CHAT, "is_bot": False, "first_name": "Maria"},
                "chat_instance": "-5435434356",
                "data": "yes",
            },
        },
        {
            "update_id": 7,
            "message": {
                "message_id": 3,
                "date": 1_763_900_000,
                "from": {"id": CHAT, "is_bot": False, "first_name": "Maria"},
                "chat": {"id": -1001234567890, "title": "PTA", "type": "supergroup"},
                "text": "hi everyone",
            },
        },
        {
            "update_id": 8,
            "channel_post": {
                "message_id": 4,
                "date": 1_763_900_000,
                "chat": {"id": -1009876543210, "title": "News", "type": "channel"},
                "text": "school is closed",
            },
        },
        {
            "update_id": 9,
            "message": {
                "message_id": 5,
                "date": 1_763_900_000,
                "from": {"id": 5555, "is_bot": True, "first_name": "OtherBot"},
                "chat": {"id": 5555, "first_name": "OtherBot", "type": "private"},
                "text": "beep",
            },
        },
    ],
    ids=["no-message", "callback", "group", "channel-post", "from-a-bot"],
)
def test_updates_that_are_not_a_family_chat_are_acknowledged_and_ignored(stack, update):
    before = count_rows()
    assert stack.send(update).status_code == 200
    assert count_rows() == before
    assert stack.rasa.received == [] and stack.api.calls == []


# --- content the bot cannot read -------------------------------------------------------------


@pytest.mark.parametrize(
    "content", [PHOTO, STICKER, VOICE, DOCUMENT], ids=["photo", "sticker", "voice", "document"]
)
def test_content_without_text_gets_a_kind_reply_not_an_error(stack, content):
    assert stack.send(message_update(content)).status_code == 200
    assert stack.rasa.received == []
    assert stack.api.texts(CHAT) == [UNSUPPORTED_EN]
    (recorded,) = inbound_messages()
    assert (recorded.text, recorded.status) == ("", "processed")
    assert [m.response_name for m in outbound_messages()] == ["utter_unsupported_content"]


def test_the_kind_reply_uses_the_telegram_app_language_when_there_are_no_words(stack):
    stack.send(message_update(STICKER, language_code="es-419"))
    assert stack.api.texts(CHAT) == [UNSUPPORTED_ES]
    assert the_conversation().language == "es"


def test_a_caption_is_the_family_words(stack):
    stack.send(message_update({**PHOTO, "caption": "he was sick on monday"}))
    assert [m.text for m in stack.rasa.received] == ["he was sick on monday"]


# --- edits --------------------------------------------------------------------------------------


def test_an_edit_is_kept_for_staff_but_does_not_rerun_the_check_in(stack):
    first = text_update("we are fine")
    stack.send(first)
    message_id = first["message"]["message_id"]
    answer = stack.send(text_update("we are not fine", message_id=message_id, edited=True))

    assert answer.status_code == 200
    assert [m.text for m in stack.rasa.received] == ["we are fine"]
    assert stack.api.texts() == [OPENING_EN]
    edit = inbound_messages()[-1]
    assert (edit.text, edit.status) == ("(edited) we are not fine", "held")
    assert edit.provider_id.endswith(f":{message_id}:edited")


def test_a_crisis_written_into_an_edit_still_gets_the_safety_reply(stack):
    first = text_update("ok")
    stack.send(first)
    edit = text_update(
        "my son says he wants to kill himself",
        message_id=first["message"]["message_id"],
        edited=True,
    )
    stack.send(edit)
    assert len(stack.rasa.received) == 1
    safety = " ".join(stack.api.texts()[1:])
    assert "911" in safety and "988" in safety
    conversation = the_conversation()
    assert conversation.paused
    with session_scope() as session:
        (escalation,) = session.execute(select(Escalation)).scalars().all()
        assert (escalation.reasons, escalation.priority) == (["crisis"], "urgent")


# --- keywords --------------------------------------------------------------------------------


@pytest.mark.parametrize("word", ["STOP", "stop", "/stop", "alto", "BAJA", "DỪNG", "停止", "KANPE"])
def test_stop_in_any_language_opts_out_with_one_confirmation(stack, word):
    stack.send(text_update(word))
    stack.send(text_update(word))  # a second STOP gets silence
    stack.send(text_update("are you there?"))
    assert stack.rasa.received == []
    assert stack.api.texts() == [STOP_EN]
    with session_scope() as session:
        (conversation,) = session.execute(select(Conversation)).scalars().all()
        # a family's STOP holds on every channel: it is kept on the family record
        assert conversation.family.opted_out_at is not None
        assert is_opted_out(session=session, conversation_id=conversation.id) is True
    assert [m.status for m in inbound_messages()] == ["processed", "held", "held"]


def test_start_opts_back_in_and_help_says_how_to_reach_the_school(stack):
    stack.send(text_update("STOP"))
    stack.send(text_update("START"))
    stack.send(text_update("HELP"))
    texts = stack.api.texts()
    assert texts[:2] == [STOP_EN, WELCOME_BACK_EN]
    assert "Reply STOP to opt out" in texts[2]
    assert stack.rasa.received == []


def test_other_slash_commands_cannot_trigger_rasa_intents(stack):
    stack.send(text_update("/crisis"))
    assert [m.text for m in stack.rasa.received] == ["crisis"]


# --- /start ---------------------------------------------------------------------------------


def test_plain_start_opens_the_check_in_like_any_first_message(stack):
    stack.send(text_update("/start"))
    (message,) = stack.rasa.received
    assert message.text == "/greet"  # Rasa's intent shortcut: the first-message rule opens it
    assert stack.api.texts() == [OPENING_EN]
    assert [m.text for m in inbound_messages()] == [START]


def test_start_from_a_chat_that_opted_out_is_a_start(stack):
    stack.send(text_update("STOP"))
    stack.send(text_update("/start"))
    assert stack.api.texts() == [STOP_EN, WELCOME_BACK_EN]
    assert stack.rasa.received == []


def test_a_family_that_blocks_the_bot_is_opted_out_at_once(stack):
    stack.send(text_update("hello"))
    kicked = {
        "update_id": 700_999_001,
        "my_chat_member": {
            "chat": {"id": CHAT, "first_name": "Maria", "type": "private"},
            "from": {"id": CHAT, "is_bot": False, "first_name": "Maria"},
            "date": 1_763_900_100,
            "old_chat_member": {
                "user": {"id": 123456789, "is_bot": True, "first_name": "FamilyBot"},
                "status": "member",
            },
            "new_chat_member": {
                "user": {"id": 123456789, "is_bot": True, "first_name": "FamilyBot"},
                "status": "kicked",
                "until_date": 0,
            },
        },
    }
    assert stack.send(kicked).status_code == 200
    with session_scope() as session:
        (contact,) = session.execute(select(ContactPoint)).scalars().all()
        assert contact.opted_out_at is not None
    assert len(stack.api.sent()) == 1  # nothing more is sent to this chat


# --- restart -----------------------------------------------------------------------------------


def test_a_message_cut_off_by_a_restart_is_processed_when_the_server_starts(stack):
    stack.rasa.release.clear()  # the Rasa turn hangs, then the process is stopped
    stack.post(text_update("hello"))
    wait_until(lambda: len(stack.rasa.received) == 1)
    stack.channel.shutdown_grace = 0.2
    stack.stop_server()
    assert [m.status for m in inbound_messages()] == ["received"]
    assert stack.api.sent() == []

    stack.rasa.release.set()
    stack.start()  # a new process: the channel's after_server_start listener recovers
    stack.settle()
    assert [m.text for m in stack.rasa.received] == ["hello", "hello"]
    assert [m.status for m in inbound_messages()] == ["processed"]
    assert stack.api.texts() == [OPENING_EN]


# --- privacy -------------------------------------------------------------------------------------


def test_no_chat_id_or_token_reaches_the_logs_or_rasa(stack, caplog):
    with caplog.at_level(logging.DEBUG):
        stack.send(text_update("hi"))
        stack.send(text_update("STOP"))
        stack.send(text_update("/start"))
        stack.post(text_update("hi"), secret="wrong")
        stack.settle()
    assert caplog.records, "the channel logs what it does"
    assert str(CHAT) not in caplog.text
    assert stack.api.token not in caplog.text
    assert all(str(CHAT) not in m.sender_id for m in stack.rasa.received)
    with session_scope() as session:
        (contact,) = session.execute(select(ContactPoint)).scalars().all()
        assert str(CHAT) not in contact.address_ciphertext + contact.address_index
