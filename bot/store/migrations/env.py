"""Alembic environment: runs on the connection `bot.store.db` hands over, or on the settings URL.

To write a new migration after changing models.py:
    python -c "from alembic import command; from bot.store.db import alembic_config; \
command.revision(alembic_config(), message='what changed', autogenerate=True)"
"""

from __future__ import annotations

from alembic import context
from sqlalchemy.engine import Connection

from bot.store.models import metadata


def _migrate(connection: Connection) -> None:
    """Run the migrations on one connection; batch mode lets SQLite alter tables."""
    context.configure(
        connection=connection,
        target_metadata=metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def _run() -> None:
    """Use the caller's connection when given (bot.store.db), else the configured database."""
    if context.is_offline_mode():
        raise RuntimeError("offline (--sql) migrations are not supported")
    connection = context.config.attributes.get("connection")
    if connection is not None:
        _migrate(connection)
        return
    from bot.settings import get_settings
    from bot.store.db import make_engine

    engine = make_engine(get_settings().database_url)
    try:
        with engine.begin() as conn:
            _migrate(conn)
    finally:
        engine.dispose()


_run()
