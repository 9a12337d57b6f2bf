"""Settings: the only module that reads the environment (FAMILYBOT_* variables and .env)."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, fields
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit

PLACEHOLDER_SECRETS = {"", "change-me", "changeme", "secret", "dev", "development", "xxx"}
DEV_SECRET_KEY = "familybot-development-only-key-do-not-use-in-production"  # noqa: S105
# What Telegram's setWebhook accepts as secret_token, and long enough not to be guessed.
TELEGRAM_SECRET = re.compile(r"[A-Za-z0-9_-]{16,256}")
# Hosts Twilio cannot call, or that only appear in examples.
PLACEHOLDER_HOSTS = {"localhost", "127.0.0.1", "::1", "example.com", "example.org", "0.0.0.0"}  # noqa: S104


class SettingsError(RuntimeError):
    """A setting is missing or unsafe; the message says which one and why."""


@dataclass(frozen=True)
class Settings:
    """Every setting FamilyBot reads, with its default; see the README's table."""

    env: str = "development"
    database_url: str = "sqlite:///familybot.db"
    tracker_store_url: str = "sqlite:///familybot-tracker.db"
    secret_key: str = DEV_SECRET_KEY
    default_language: str = "en"
    log_level: str = "INFO"
    model_dir: str = "models"
    rasa_host: str = "127.0.0.1"
    rasa_port: int = 5005
    actions_host: str = "127.0.0.1"
    actions_port: int = 5055
    action_timeout: int = 10
    public_url: str = ""
    twilio_account_sid: str = ""
    twilio_auth_token: str = ""
    twilio_from: str = ""
    twilio_api_url: str = "https://api.twilio.com"
    telegram_token: str = ""
    telegram_secret: str = ""
    telegram_api_url: str = "https://api.telegram.org/bot"
    redis_url: str = ""

    @property
    def is_development(self) -> bool:
        return self.env in {"development", "dev", "test"}

    @property
    def actions_url(self) -> str:
        return f"http://{self.actions_host}:{self.actions_port}/webhook"

    def check(self) -> None:
        """Refuse unsafe settings (fail closed at start-up); development allows test keys."""
        if self.twilio_account_sid or self.twilio_auth_token:
            self.check_twilio()
        if self.telegram_token:
            self.check_telegram()
        if self.is_development:
            return
        if self.secret_key in PLACEHOLDER_SECRETS or self.secret_key == DEV_SECRET_KEY:
            raise SettingsError(
                "FAMILYBOT_SECRET_KEY must be set to a long random value outside development"
            )
        if len(self.secret_key) < 32:
            raise SettingsError("FAMILYBOT_SECRET_KEY must be at least 32 characters")

    def check_twilio(self) -> None:
        """Refuse an SMS channel that could not tell Twilio from a forger (fail closed)."""
        if not self.twilio_auth_token or not self.public_url:
            raise SettingsError(
                "the SMS channel needs FAMILYBOT_TWILIO_AUTH_TOKEN and FAMILYBOT_PUBLIC_URL: "
                "every Twilio webhook is checked against them"
            )
        if self.is_development:
            return
        token = self.twilio_auth_token
        if token.lower() in PLACEHOLDER_SECRETS or len(token) < 32:
            raise SettingsError(
                "FAMILYBOT_TWILIO_AUTH_TOKEN must be the account's real auth token "
                "(32 characters) outside development"
            )
        url = urlsplit(self.public_url)
        host = (url.hostname or "").lower()
        if url.scheme != "https" or not host or host in PLACEHOLDER_HOSTS:
            raise SettingsError(
                "FAMILYBOT_PUBLIC_URL must be the public https:// address Twilio calls "
                "outside development, not a placeholder or local address"
            )

    def check_telegram(self) -> None:
        """Refuse a Telegram channel that would take anyone's webhook call (fail closed)."""
        secret = self.telegram_secret
        if not secret:
            raise SettingsError(
                "the Telegram channel needs FAMILYBOT_TELEGRAM_SECRET: every webhook call "
                "is checked against it"
            )
        if self.is_development:
            return
        if secret.lower() in PLACEHOLDER_SECRETS or not TELEGRAM_SECRET.fullmatch(secret):
            raise SettingsError(
                "FAMILYBOT_TELEGRAM_SECRET must be a random value of 16-256 characters "
                "(A-Z a-z 0-9 _ -) outside development"
            )


def _read_dotenv(path: Path) -> dict[str, str]:
    """Read KEY=VALUE lines of a .env file; the real environment wins over it."""
    if not path.is_file():
        return {}
    from dotenv import dotenv_values

    return {k: v for k, v in dotenv_values(path).items() if v is not None}


def load_settings(environ: dict[str, str] | None = None, dotenv: Path | None = None) -> Settings:
    """Build Settings from FAMILYBOT_* variables (and .env in the working folder)."""
    env = dict(_read_dotenv(dotenv or Path.cwd() / ".env"))
    env.update(os.environ if environ is None else environ)
    values: dict[str, object] = {}
    for f in fields(Settings):
        raw = env.get(f"FAMILYBOT_{f.name.upper()}")
        if raw is None:
            continue
        if f.type in ("int", int):
            try:
                values[f.name] = int(raw)
            except ValueError as exc:
                raise SettingsError(
                    f"FAMILYBOT_{f.name.upper()} must be a whole number, not {raw!r}"
                ) from exc
        else:
            values[f.name] = raw.strip()
    return Settings(**values)  # type: ignore[arg-type]


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings, read once on first use (never at import time)."""
    return load_settings()
