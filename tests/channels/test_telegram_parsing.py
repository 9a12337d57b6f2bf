"""Reading Telegram updates and /start commands: pure functions, table-tested."""

from __future__ import annotations

import pytest

from bot.channels.telegram import (
    BlockedChat,
    TelegramMessage,
    TelegramRequestError,
    parse_update,
    read_json,
    start_command,
)
from tests.channels.telegram_stack import CHAT, PHOTO, STICKER, message_update, text_update


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("/start", (True, None)),
        ("/START", (True, None)),
        ("/start@FamilyCheckInBot", (True, None)),
        ("/start AB3DE5GH7K", (True, "AB3DE5GH7K")),
        ("/start   ab3de 5gh7k ", (True, "ab3de 5gh7k")),
        ("/started", (False, None)),
        ("start", (False, None)),
        ("please /start", (False, None)),
        ("", (False, None)),
    ],
)
def test_start_command(text, expected):
    assert start_command(text) == expected


def test_a_text_message_is_read_with_its_ids_and_app_language():
    update = text_update("hola", language_code="es", update_id=10, message_id=7)
    assert parse_update(update) == TelegramMessage(10, 7, str(CHAT), "hola", False, "es")
    assert parse_update(update).provider_id == "10:7"


def test_an_edit_has_its_own_provider_id():
    update = text_update("hola!", update_id=11, message_id=7, edited=True)
    message = parse_update(update)
    assert message.edited and message.provider_id == "11:7:edited"


@pytest.mark.parametrize(
    ("content", "text"),
    [
        (PHOTO, ""),
        (STICKER, ""),
        ({**PHOTO, "caption": "the doctor's note"}, "the doctor's note"),
        ({"text": "a\x00b"}, "ab"),  # PostgreSQL text cannot hold NUL
        ({"text": "x" * 5000}, "x" * 4096),
    ],
)
def test_what_counts_as_the_family_words(content, text):
    assert parse_update(message_update(content)).text == text


def test_a_message_without_a_sender_still_counts():
    update = text_update("hi")
    del update["message"]["from"]
    message = parse_update(update)
    assert (message.text, message.language_code) == ("hi", None)


def test_a_blocked_bot_is_read_as_a_blocked_chat():
    member = {"user": {"id": 1, "is_bot": True, "first_name": "Bot"}, "status": "kicked"}
    update = {
        "update_id": 3,
        "my_chat_member": {
            "chat": {"id": CHAT, "type": "private"},
            "from": {"id": CHAT, "is_bot": False, "first_name": "M"},
            "date": 1,
            "old_chat_member": {**member, "status": "member"},
            "new_chat_member": {**member, "until_date": 0},
        },
    }
    assert parse_update(update) == BlockedChat(str(CHAT))
    update["my_chat_member"]["new_chat_member"]["status"] = "member"
    assert parse_update(update) is None


@pytest.mark.parametrize(
    "payload",
    [
        {},
        {"update_id": 2**70},
        {"update_id": 1.5},
        {"update_id": 1, "message": {"message_id": 1, "date": 1, "chat": {"type": "private"}}},
        {
            "update_id": 1,
            "message": {"message_id": 2**64, "date": 1, "chat": {"id": 1, "type": "private"}},
        },
    ],
)
def test_malformed_updates_are_refused(payload):
    with pytest.raises(TelegramRequestError):
        parse_update(payload)


@pytest.mark.parametrize("body", [b"", b"{", b"[]", b"1", b"x" * (256 * 1024 + 1)])
def test_bodies_that_are_not_a_json_object_are_refused(body):
    with pytest.raises(TelegramRequestError):
        read_json(body)
