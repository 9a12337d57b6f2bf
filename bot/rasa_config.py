"""The endpoints.yml and credentials.yml that `familybot up` writes for Rasa from settings."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.dbcli import check_database_url
from bot.runtime import UserError
from bot.settings import Settings

RUNTIME_DIR = ".familybot"

# Rasa input channels by class path; the dev REST channel passes through the same gates
# as SMS and Telegram. Rasa's own `rest` channel is never enabled: it bypasses the gates.
REST_CHANNEL = "bot.channels.rest.GatedRestInput"
SMS_CHANNEL = "bot.channels.sms.TwilioSmsInput"
TELEGRAM_CHANNEL = "bot.channels.telegram.GatedTelegramInput"


def tracker_store_config(url: str, base: Path | None = None) -> dict[str, Any]:
    """Rasa's SQL tracker store keys (dialect, url=host, port, db, ...) from a SQLAlchemy URL."""
    parsed = check_database_url("FAMILYBOT_TRACKER_STORE_URL", url)
    config: dict[str, Any] = {"type": "SQL", "dialect": parsed.drivername}
    if parsed.get_backend_name() == "sqlite":
        db = parsed.database or ""
        if db and db != ":memory:" and not db.startswith("file:"):
            db = str((base or Path.cwd()) / Path(db).expanduser())
        config["db"] = db
        return config
    # Rasa's endpoint key for the host is `url` (passed on as SQLTrackerStore's `host`).
    for key, value in (
        ("url", parsed.host),
        ("port", parsed.port),
        ("db", parsed.database),
        ("username", parsed.username),
        ("password", parsed.password),
    ):
        if value is not None:
            config[key] = value
    if parsed.query:
        config["query"] = dict(parsed.query)
    return config


def lock_store_config(redis_url: str) -> dict[str, Any]:
    """Rasa's lock store: Redis when FAMILYBOT_REDIS_URL is set, else in memory (one server)."""
    if not redis_url:
        return {"type": "in_memory"}
    from urllib.parse import urlsplit

    parts = urlsplit(redis_url)
    if parts.scheme not in ("redis", "rediss") or not parts.hostname:
        raise UserError(
            f"FAMILYBOT_REDIS_URL must look like redis://host:6379/0, not {parts.scheme}://..."
        )
    try:
        port = parts.port or 6379
        db = int(parts.path.strip("/") or 0)
    except ValueError as exc:
        raise UserError("FAMILYBOT_REDIS_URL has a bad port or database number") from exc
    config: dict[str, Any] = {
        "type": "redis",
        "url": parts.hostname,
        "port": port,
        "db": db,
        "key_prefix": "familybot",
        "use_ssl": parts.scheme == "rediss",
    }
    if parts.username:
        config["username"] = parts.username
    if parts.password:
        config["password"] = parts.password
    return config


def endpoints_config(settings: Settings, base: Path | None = None) -> dict[str, Any]:
    """Rasa's endpoints.yml: action server, SQL tracker store, lock store."""
    # Rasa 3.6.21 ignores `action_endpoint.timeout` (it always waits 300 s):
    # bot.rasa_launcher applies FAMILYBOT_ACTION_TIMEOUT instead.
    return {
        "action_endpoint": {"url": settings.actions_url},
        "tracker_store": tracker_store_config(settings.tracker_store_url, base),
        "lock_store": lock_store_config(settings.redis_url),
    }


@dataclass(frozen=True)
class Channel:
    """A Rasa input channel that `familybot up` enables."""

    label: str
    class_path: str
    webhook: str


REST = Channel("dev REST channel", REST_CHANNEL, "/webhooks/rest/webhook")
SMS = Channel("SMS channel (Twilio)", SMS_CHANNEL, "/webhooks/sms/webhook")
TELEGRAM = Channel("Telegram channel", TELEGRAM_CHANNEL, "/webhooks/telegram/webhook")


def enabled_channels(settings: Settings) -> list[Channel]:
    """REST always; SMS and Telegram once their credentials are set, and then completely."""
    channels = [REST]
    wanted = (
        (SMS, settings.twilio_account_sid or settings.twilio_auth_token, {
            "FAMILYBOT_TWILIO_ACCOUNT_SID": settings.twilio_account_sid,
            "FAMILYBOT_TWILIO_AUTH_TOKEN": settings.twilio_auth_token,
            "FAMILYBOT_TWILIO_FROM": settings.twilio_from,
            "FAMILYBOT_PUBLIC_URL": settings.public_url,
        }),
        (TELEGRAM, settings.telegram_token, {
            "FAMILYBOT_TELEGRAM_TOKEN": settings.telegram_token,
            "FAMILYBOT_TELEGRAM_SECRET": settings.telegram_secret,
            "FAMILYBOT_PUBLIC_URL": settings.public_url,
        }),
    )  # fmt: skip
    for channel, asked, required in wanted:
        if not asked:
            continue
        missing = [name for name, value in required.items() if not value]
        if missing:
            raise UserError(f"the {channel.label} also needs {', '.join(missing)}")
        channels.append(channel)
    return channels


def credentials_config(settings: Settings) -> dict[str, Any]:
    """Rasa's credentials.yml. The channels read their secrets from bot.settings themselves,
    so nothing secret is written here."""
    return {channel.class_path: {} for channel in enabled_channels(settings)}


def runtime_dir(root: Path, settings: Settings) -> Path:
    """.familybot/<rasa port>/: one folder per instance, so a test run beside a running
    `familybot up` (on other ports) never rewrites its files or logs."""
    return root / RUNTIME_DIR / str(settings.rasa_port)


def write_runtime_files(root: Path, settings: Settings) -> tuple[Path, Path]:
    """Write endpoints.yml and credentials.yml (0600: they may hold passwords)."""
    import yaml

    folder = runtime_dir(root, settings)
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    written = []
    for name, content in (
        ("endpoints.yml", endpoints_config(settings, base=Path.cwd())),
        ("credentials.yml", credentials_config(settings)),
    ):
        path = folder / name
        text = "# Written by `familybot up` from FAMILYBOT_* settings; edits are overwritten.\n"
        text += yaml.safe_dump(content, sort_keys=False, default_flow_style=False)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as fp:
            fp.write(text)
        os.chmod(path, 0o600)
        written.append(path)
    return written[0], written[1]
