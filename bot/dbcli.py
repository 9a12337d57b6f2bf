"""Database helpers for the command line: URL checks, masking, one-line errors."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from bot.runtime import UserError
from bot.settings import Settings


def check_database_url(setting: str, url: str) -> Any:
    """Parse a SQLAlchemy URL or raise UserError naming the setting; returns the URL object."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError, NoSuchModuleError

    try:
        parsed = make_url(url)
        parsed.get_dialect()
    except (ArgumentError, NoSuchModuleError, ValueError) as exc:
        raise UserError(
            f"{setting} is not a database URL SQLAlchemy can use: {safe_url(url)!r} "
            "(e.g. sqlite:///familybot.db or postgresql://user:password@host/dbname)"
        ) from exc
    return parsed


def safe_url(url: str) -> str:
    """A URL fit for printing: the password is masked."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        return make_url(url).render_as_string(hide_password=True)
    except (ArgumentError, ValueError):
        return url.split("@")[-1] if "@" in url else url


@contextmanager
def database_errors(url: str, what: str = "the database") -> Iterator[None]:
    """Turn database failures into one readable line that names the (masked) URL."""
    from sqlalchemy.exc import OperationalError, ProgrammingError

    try:
        yield
    except (OperationalError, ProgrammingError) as exc:
        reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
        where = safe_url(url)
        if "no such table" in reason or ("relation" in reason and "does not exist" in reason):
            raise UserError(
                f"{what} at {where} is not set up — run `familybot db upgrade`"
            ) from exc
        raise UserError(f"cannot open {what} at {where}: {reason}") from exc


def upgrade_database(settings: Settings) -> None:
    """Apply every migration to FAMILYBOT_DATABASE_URL, failing in one line."""
    from alembic.util.exc import CommandError

    from bot.store import upgrade

    check_database_url("FAMILYBOT_DATABASE_URL", settings.database_url)
    with database_errors(settings.database_url):
        try:
            upgrade(settings.database_url)
        except CommandError as exc:
            raise UserError(f"database migration failed: {exc}") from exc


def check_tracker_store(settings: Settings) -> None:
    """Open the tracker store database once: Rasa would retry a bad one forever, silently."""
    from sqlalchemy import create_engine

    url = settings.tracker_store_url
    check_database_url("FAMILYBOT_TRACKER_STORE_URL", url)
    engine = create_engine(url, future=True)
    try:
        with database_errors(url, "the tracker store database"), engine.connect():
            pass
    finally:
        engine.dispose()
