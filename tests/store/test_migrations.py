"""The Alembic migrations: up, down, and in step with the models."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect

from bot.store import db
from bot.store.models import metadata

TABLES = {
    "schools",
    "students",
    "families",
    "family_students",
    "contact_points",
    "conversations",
    "messages",
    "checkins",
    "escalations",
    "community_resources",
    "link_codes",
}


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def fresh_url(request) -> str:
    """An unmigrated database; PostgreSQL's session database is stepped down, then back up."""
    if request.param == "sqlite":
        return request.getfixturevalue("sqlite_url")
    url = request.getfixturevalue("postgres_url")
    db.downgrade(url, "base")
    request.addfinalizer(lambda: db.upgrade(url))  # other tests expect it at head
    return url


def _tables(url: str) -> set[str]:
    """Application tables present in the database."""
    return set(inspect(db.get_engine(url)).get_table_names()) - {"alembic_version"}


def test_upgrade_then_downgrade_to_base(fresh_url: str) -> None:
    assert db.current_revision(fresh_url) is None
    db.upgrade(fresh_url)
    assert db.current_revision(fresh_url) == "0002"
    assert _tables(fresh_url) == TABLES
    db.upgrade(fresh_url)  # a second upgrade is a no-op
    assert db.current_revision(fresh_url) == "0002"
    db.downgrade(fresh_url, "base")
    assert db.current_revision(fresh_url) is None
    assert _tables(fresh_url) == set()
    db.upgrade(fresh_url, "0001")
    assert _tables(fresh_url) == TABLES - {"link_codes"}
    db.upgrade(fresh_url)
    db.downgrade(fresh_url, "0001")  # 0002 steps back on its own
    assert _tables(fresh_url) == TABLES - {"link_codes"}


def test_migrations_match_the_models(fresh_url: str) -> None:
    db.upgrade(fresh_url)
    with db.get_engine(fresh_url).connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        diff = compare_metadata(context, metadata)
    assert diff == []


def test_constraints_follow_the_naming_convention(fresh_url: str) -> None:
    db.upgrade(fresh_url)
    inspector = inspect(db.get_engine(fresh_url))
    uniques = {u["name"] for u in inspector.get_unique_constraints("messages")}
    assert "uq_messages_channel_provider_id" in uniques
    fks = {fk["name"] for fk in inspector.get_foreign_keys("messages")}
    assert fks == {"fk_messages_conversation_id_conversations"}
    contact_uniques = {u["name"] for u in inspector.get_unique_constraints("contact_points")}
    assert contact_uniques == {"uq_contact_points_channel_address_index"}
    assert inspector.get_pk_constraint("schools")["name"] in {"pk_schools", None}
    checks = {c["name"] for c in inspector.get_check_constraints("escalations")}
    assert {"ck_escalations_priority", "ck_escalations_status"} <= checks
