"""Engines, sessions and migrations; everything is built on first use, never at import."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import QueuePool

from bot.settings import get_settings

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
SQLITE_BUSY_TIMEOUT_MS = 15_000

_lock = threading.Lock()
_engines: dict[str, Engine] = {}
_sessionmakers: dict[str, sessionmaker] = {}


def _setup_sqlite(engine: Engine) -> None:
    """WAL + busy timeout + foreign keys, and BEGIN IMMEDIATE so writers queue, not fail.

    pysqlite's own transaction handling breaks SAVEPOINT and starts transactions late; the
    SQLAlchemy recipe below takes it over. BEGIN IMMEDIATE takes the write lock up front:
    a deferred transaction that read first would get "database is locked" (no waiting)
    once another process wrote in between, which WAL cannot retry.
    """

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def make_engine(url: str) -> Engine:
    """A new engine tuned for the backend (SQLite shared by two processes, or PostgreSQL)."""
    backend = make_url(url).get_backend_name()
    if backend == "sqlite":
        database = make_url(url).database or ""
        # SQLAlchemy 1.4 opens a new connection per session for a SQLite file (NullPool), and
        # closing the last one checkpoints the WAL (~7 ms): keep a few connections open.
        pool = {} if database in {"", ":memory:"} else {"poolclass": QueuePool, "pool_size": 5}
        engine = create_engine(
            url,
            future=True,
            connect_args={"check_same_thread": False, "timeout": SQLITE_BUSY_TIMEOUT_MS / 1000},
            **pool,
        )
        _setup_sqlite(engine)
        return engine
    return create_engine(url, future=True, pool_pre_ping=True)


def _resolve(url: str | None) -> str:
    """The given URL, or the configured one."""
    return url if url is not None else get_settings().database_url


def get_engine(url: str | None = None) -> Engine:
    """The process's engine for a URL (default: settings), created once and reused."""
    url = _resolve(url)
    with _lock:
        engine = _engines.get(url)
        if engine is None:
            engine = _engines[url] = make_engine(url)
        return engine


def dispose_engines(url: str | None = None) -> None:
    """Close pooled connections (one URL or all), e.g. after a fork or at test teardown."""
    with _lock:
        urls = list(_engines) if url is None else [url]
        for key in urls:
            engine = _engines.pop(key, None)
            _sessionmakers.pop(key, None)
            if engine is not None:
                engine.dispose()


def _sessionmaker(url: str) -> sessionmaker:
    """One session factory per URL; objects stay readable after commit."""
    engine = get_engine(url)
    with _lock:
        factory = _sessionmakers.get(url)
        if factory is None:
            factory = _sessionmakers[url] = sessionmaker(
                bind=engine, future=True, expire_on_commit=False
            )
        return factory


@contextmanager
def session_scope(url: str | None = None) -> Iterator[Session]:
    """One unit of work: commit when the block ends, roll back if it raises."""
    session: Session = _sessionmaker(_resolve(url))()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


def alembic_config() -> Config:
    """Alembic configured in code, so migrations run from an installed package too."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


def _run(url: str | None, fn: Any, revision: str) -> None:
    """Run an Alembic command on one connection of a short-lived engine."""
    engine = make_engine(_resolve(url))
    try:
        with engine.begin() as connection:
            config = alembic_config()
            config.attributes["connection"] = connection
            fn(config, revision)
    finally:
        engine.dispose()


def upgrade(url: str | None = None, revision: str = "head") -> None:
    """Bring the schema up to a revision (the only way tables are created)."""
    _run(url, command.upgrade, revision)


def downgrade(url: str | None = None, revision: str = "-1") -> None:
    """Step the schema back (tests and emergencies; `base` drops everything)."""
    _run(url, command.downgrade, revision)


def current_revision(url: str | None = None) -> str | None:
    """The revision the database is at, or None when it was never migrated."""
    engine = make_engine(_resolve(url))
    try:
        with engine.connect() as connection:
            return MigrationContext.configure(connection).get_current_revision()
    finally:
        engine.dispose()
