"""Shared fixtures: real databases migrated with Alembic (SQLite always, PostgreSQL when up)."""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from bot.store import db
from bot.store.models import metadata

DEFAULT_POSTGRES_URL = "postgresql://root@127.0.0.1:5432/test"


@pytest.fixture
def sqlite_url(tmp_path) -> Iterator[str]:
    """A fresh, empty (unmigrated) SQLite file for one test."""
    url = f"sqlite:///{tmp_path / 'familybot.db'}"
    yield url
    db.dispose_engines(url)


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A fresh, empty PostgreSQL database for the test session, dropped afterwards.

    Skips when the server is unreachable, but fails under CI, where it must be there.
    """
    admin_url = os.environ.get("FAMILYBOT_TEST_POSTGRES_URL", DEFAULT_POSTGRES_URL)
    admin = create_engine(
        admin_url, future=True, isolation_level="AUTOCOMMIT", connect_args={"connect_timeout": 5}
    )
    name = f"familybot_test_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as exc:  # any failure to connect means "no PostgreSQL here"
        admin.dispose()
        reason = f"PostgreSQL unreachable at {make_url(admin_url).host}: {exc.__class__.__name__}"
        if os.environ.get("CI"):
            pytest.fail(reason + " (CI is set, so PostgreSQL tests must run)")
        pytest.skip(reason)
    url = make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    try:
        yield url
    finally:
        db.dispose_engines(url)
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(scope="session")
def _sqlite_migrated(tmp_path_factory) -> Path:
    """A SQLite file migrated to head once; each test gets a copy (much faster than migrating)."""
    path = tmp_path_factory.mktemp("migrated") / "familybot.db"
    db.upgrade(f"sqlite:///{path}")
    return path


@pytest.fixture(scope="session")
def _postgres_migrated(postgres_url: str) -> str:
    """The session's PostgreSQL database, migrated to head once."""
    db.upgrade(postgres_url)
    return postgres_url


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request) -> str:
    """A migrated, empty database URL: a new SQLite file, or the emptied PostgreSQL one."""
    if request.param == "sqlite":
        url = request.getfixturevalue("sqlite_url")
        shutil.copyfile(request.getfixturevalue("_sqlite_migrated"), make_url(url).database)
        return url
    url = request.getfixturevalue("_postgres_migrated")
    with db.get_engine(url).begin() as conn:
        for table in reversed(metadata.sorted_tables):
            conn.execute(table.delete())  # faster than TRUNCATE on a handful of rows
    return url


@pytest.fixture
def db_session(db_url: str) -> Iterator[Session]:
    """A session on a migrated empty database; tests commit or flush as they need.

    Commit before code under test opens its own session: on SQLite an open write
    transaction makes other sessions wait (busy timeout) for the file's write lock.
    """
    session = Session(db.get_engine(db_url), future=True, expire_on_commit=False)
    try:
        yield session
    finally:
        session.rollback()
        session.close()
