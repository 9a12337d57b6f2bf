"""Engines, sessions and the no-work-at-import rule."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import datetime, timezone

import pytest
from sqlalchemy import select, text

from bot.store import db
from bot.store.models import School


def test_import_opens_nothing() -> None:
    code = (
        "import bot.store, bot.store.db as d, bot.settings as s;"
        "assert not d._engines;"
        "assert s.get_settings.cache_info().currsize == 0;"
        "print('ok')"
    )
    env = {**os.environ, "FAMILYBOT_DATABASE_URL": "postgresql://nobody@203.0.113.1:1/none"}
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"


def test_sqlite_engine_is_tuned_for_two_processes(sqlite_url: str) -> None:
    engine = db.get_engine(sqlite_url)
    with engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert conn.execute(text("PRAGMA busy_timeout")).scalar() == db.SQLITE_BUSY_TIMEOUT_MS


def test_get_engine_is_cached_per_url(sqlite_url: str, tmp_path) -> None:
    other = f"sqlite:///{tmp_path / 'other.db'}"
    try:
        assert db.get_engine(sqlite_url) is db.get_engine(sqlite_url)
        assert db.get_engine(sqlite_url) is not db.get_engine(other)
    finally:
        db.dispose_engines(other)


def test_session_scope_commits_and_rolls_back(db_url: str) -> None:
    with db.session_scope(db_url) as session:
        session.add(School(name="Kept", state="IL"))
    with pytest.raises(RuntimeError), db.session_scope(db_url) as session:
        session.add(School(name="Dropped", state="IL"))
        session.flush()
        raise RuntimeError("boom")
    with db.session_scope(db_url) as session:
        names = session.execute(select(School.name)).scalars().all()
    assert names == ["Kept"]


def test_timestamps_come_back_aware_utc(db_url: str) -> None:
    chicago_noon = datetime.fromisoformat("2026-11-23T12:00:00-06:00")
    with db.session_scope(db_url) as session:
        session.add(School(name="Tz", state="IL", created_at=chicago_noon))
    with db.session_scope(db_url) as session:
        stored = session.execute(select(School.created_at)).scalar_one()
    assert stored.tzinfo is not None and stored.utcoffset().total_seconds() == 0
    assert stored == datetime(2026, 11, 23, 18, 0, tzinfo=timezone.utc)


def test_naive_timestamps_are_refused(db_url: str) -> None:
    with pytest.raises(Exception, match="timezone-aware"), db.session_scope(db_url) as session:
        session.add(School(name="Naive", state="IL", created_at=datetime(2026, 1, 1)))
        session.flush()
