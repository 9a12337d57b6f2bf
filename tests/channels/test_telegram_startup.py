"""Start-up: fail closed without a real secret, and resume what a dead process recorded."""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest

from bot.channels.telegram import GatedTelegramInput, TelegramMessage, _record
from bot.rasa_config import TELEGRAM_CHANNEL, credentials_config
from bot.settings import SettingsError, get_settings, load_settings
from tests.channels.telegram_stack import CHAT, TelegramStack

PRODUCTION = {
    "FAMILYBOT_ENV": "production",
    "FAMILYBOT_SECRET_KEY": "k" * 48,
    "FAMILYBOT_TELEGRAM_TOKEN": "123456789:AAH-real-looking-token",
    "FAMILYBOT_PUBLIC_URL": "https://familybot.lincoln.k12.example",
}


def settings(**overrides: str):
    return load_settings(environ={**PRODUCTION, **overrides}, dotenv=Path("/nonexistent/.env"))


@pytest.mark.parametrize(
    ("env", "secret", "refused"),
    [
        ("production", "", True),
        ("production", "secret", True),
        ("production", "change-me", True),
        ("production", "short_but_ok", True),  # under 16 characters: guessable
        ("production", "has spaces in it, 1234567890", True),  # Telegram refuses it too
        ("production", "x" * 257, True),
        ("production", "q7Zr_4vKp-2LmN8sW0tY", False),
        ("development", "", True),  # a channel without a secret could not tell anyone apart
        ("development", "dev", False),
    ],
)
def test_the_telegram_secret_is_checked_at_start_up(env, secret, refused):
    configured = settings(FAMILYBOT_ENV=env, FAMILYBOT_TELEGRAM_SECRET=secret)
    if refused:
        with pytest.raises(SettingsError, match="FAMILYBOT_TELEGRAM_SECRET"):
            configured.check_telegram()
            configured.check()
    else:
        configured.check_telegram()
        configured.check()


def test_no_telegram_token_means_no_telegram_check():
    configured = settings(FAMILYBOT_TELEGRAM_TOKEN="", FAMILYBOT_TELEGRAM_SECRET="")
    configured.check()


def test_familybot_up_refuses_a_placeholder_secret_in_one_line(monkeypatch, tmp_path, capsys):
    from bot.cli import main

    monkeypatch.chdir(tmp_path)
    for name, value in {**PRODUCTION, "FAMILYBOT_TELEGRAM_SECRET": "change-me"}.items():
        monkeypatch.setenv(name, value)
    get_settings.cache_clear()
    try:
        assert main(["up"]) == 1
    finally:
        get_settings.cache_clear()
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("familybot: FAMILYBOT_TELEGRAM_SECRET")


def test_the_channel_refuses_to_exist_without_a_secret():
    with pytest.raises(SettingsError, match="FAMILYBOT_TELEGRAM_SECRET"):
        GatedTelegramInput(settings(FAMILYBOT_ENV="development", FAMILYBOT_TELEGRAM_SECRET=""))


def test_rasa_loads_the_channel_that_familybot_up_writes_into_credentials():
    configured = settings(FAMILYBOT_TELEGRAM_SECRET="q7Zr_4vKp-2LmN8sW0tY")
    (path,) = [p for p in credentials_config(configured) if "telegram" in p]
    assert path == TELEGRAM_CHANNEL
    module, _, name = path.rpartition(".")
    cls = getattr(importlib.import_module(module), name)
    channel = cls(configured)
    assert (cls.name(), channel.url_prefix(), channel.get_output_channel().name()) == (
        "telegram",
        "telegram",
        "telegram",
    )


# --- recovery when the server starts ---------------------------------------------------------


def test_messages_recorded_by_a_process_that_died_are_processed_at_start_up(app_db, monkeypatch):
    running = TelegramStack(monkeypatch)
    try:
        key = get_settings().secret_key
        first = TelegramMessage(900_001, 21, str(CHAT), "hello")
        second = TelegramMessage(900_002, 22, str(CHAT), "we are ok")
        inbound, first_id = _record(first, key)  # recorded, acknowledged, then the crash
        _, second_id = _record(second, key)
        assert first_id is not None and second_id is not None

        running.start()  # Sanic's after_server_start: the channel recovers
        running.settle()
        assert [(m.text, m.sender_id) for m in running.rasa.received] == [
            ("hello", inbound.conversation_id),
            ("we are ok", inbound.conversation_id),
        ]
        assert len(running.api.sent(CHAT)) == 2
    finally:
        running.close()
