"""Initial schema: schools, students, families, contacts, conversations, messages,
check-ins, escalations and community resources.

Revision ID: 0001
Revises:
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
MESSAGE_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def _ts(name: str, nullable: bool = False) -> sa.Column:
    """A timezone-aware timestamp column."""
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "schools",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("timezone", sa.String(64), server_default="America/New_York", nullable=False),
        sa.Column("state", sa.String(2), nullable=False),
        sa.Column("quiet_start", sa.String(5), server_default="08:00", nullable=False),
        sa.Column("quiet_end", sa.String(5), server_default="20:00", nullable=False),
        sa.Column("help_phone", sa.String(32), nullable=True),
        _ts("created_at"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_schools")),
    )
    op.create_table(
        "students",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("school_id", sa.Integer(), nullable=False),
        sa.Column("sis_id", sa.String(64), nullable=False),
        sa.Column("first_name", sa.String(100), nullable=False),
        sa.Column("grade", sa.String(8), nullable=True),
        _ts("created_at"),
        sa.ForeignKeyConstraint(
            ["school_id"],
            ["schools.id"],
            name=op.f("fk_students_school_id_schools"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_students")),
        sa.UniqueConstraint("school_id", "sis_id", name=op.f("uq_students_school_id_sis_id")),
    )
    op.create_table(
        "families",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("school_id", sa.Integer(), nullable=True),
        sa.Column("display_name", sa.String(200), nullable=True),
        sa.Column("preferred_language", sa.String(8), nullable=True),
        sa.Column("verified", sa.Boolean(), server_default=sa.false(), nullable=False),
        _ts("opted_out_at", nullable=True),
        sa.Column("consent", sa.Boolean(), server_default=sa.true(), nullable=False),
        _ts("created_at"),
        sa.ForeignKeyConstraint(
            ["school_id"],
            ["schools.id"],
            name=op.f("fk_families_school_id_schools"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_families")),
    )
    op.create_index("ix_families_school_id", "families", ["school_id"])
    op.create_table(
        "family_students",
        sa.Column("family_id", sa.Integer(), nullable=False),
        sa.Column("student_id", sa.Integer(), nullable=False),
        sa.Column("relationship", sa.String(40), nullable=True),
        sa.ForeignKeyConstraint(
            ["family_id"],
            ["families.id"],
            name=op.f("fk_family_students_family_id_families"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["student_id"],
            ["students.id"],
            name=op.f("fk_family_students_student_id_students"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("family_id", "student_id", name=op.f("pk_family_students")),
    )
    op.create_index("ix_family_students_student_id", "family_students", ["student_id"])
    op.create_table(
        "contact_points",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("family_id", sa.Integer(), nullable=False),
        sa.Column("channel", sa.String(16), nullable=False),
        sa.Column("address_index", sa.String(64), nullable=False),
        sa.Column("address_ciphertext", sa.Text(), nullable=False),
        _ts("opted_out_at", nullable=True),
        _ts("created_at"),
        sa.ForeignKeyConstraint(
            ["family_id"],
            ["families.id"],
            name=op.f("fk_contact_points_family_id_families"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contact_points")),
        sa.UniqueConstraint(
            "channel", "address_index", name=op.f("uq_contact_points_channel_address_index")
        ),
    )
    op.create_index("ix_contact_points_family_id", "contact_points", ["family_id"])
    op.create_table(
        "conversations",
        sa.Column("id", sa.String(128), nullable=False),
        sa.Column("channel", sa.String(16), nullable=False),
        sa.Column("family_id", sa.Integer(), nullable=True),
        sa.Column("contact_point_id", sa.Integer(), nullable=True),
        sa.Column("language", sa.String(8), nullable=True),
        sa.Column("paused", sa.Boolean(), server_default=sa.false(), nullable=False),
        _ts("paused_at", nullable=True),
        sa.Column("paused_reason", sa.String(200), nullable=True),
        sa.Column("is_simulated", sa.Boolean(), server_default=sa.false(), nullable=False),
        _ts("started_at"),
        _ts("last_message_at", nullable=True),
        sa.ForeignKeyConstraint(
            ["family_id"],
            ["families.id"],
            name=op.f("fk_conversations_family_id_families"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["contact_point_id"],
            ["contact_points.id"],
            name=op.f("fk_conversations_contact_point_id_contact_points"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_conversations")),
        sa.UniqueConstraint("contact_point_id", name=op.f("uq_conversations_contact_point_id")),
    )
    op.create_index("ix_conversations_family_id", "conversations", ["family_id"])
    op.create_table(
        "messages",
        sa.Column("id", MESSAGE_ID, nullable=False),
        sa.Column("conversation_id", sa.String(128), nullable=False),
        sa.Column("channel", sa.String(16), nullable=False),
        sa.Column("direction", sa.String(3), nullable=False),
        sa.Column("author", sa.String(16), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("response_name", sa.String(100), nullable=True),
        sa.Column("provider_id", sa.String(128), nullable=True),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("segments", sa.Integer(), nullable=True),
        sa.Column("error_code", sa.String(32), nullable=True),
        _ts("created_at"),
        _ts("processed_at", nullable=True),
        sa.CheckConstraint("direction IN ('in', 'out')", name=op.f("ck_messages_direction")),
        sa.CheckConstraint(
            "author IN ('family', 'bot', 'staff', 'system')", name=op.f("ck_messages_author")
        ),
        sa.ForeignKeyConstraint(
            ["conversation_id"],
            ["conversations.id"],
            name=op.f("fk_messages_conversation_id_conversations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_messages")),
        sa.UniqueConstraint("channel", "provider_id", name=op.f("uq_messages_channel_provider_id")),
    )
    op.create_index(
        "ix_messages_conversation_id_created_at", "messages", ["conversation_id", "created_at"]
    )
    op.create_index("ix_messages_status", "messages", ["status"])
    op.create_table(
        "checkins",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("conversation_id", sa.String(128), nullable=False),
        sa.Column("channel", sa.String(16), nullable=False),
        sa.Column("language", sa.String(8), nullable=False),
        sa.Column("student_id", sa.Integer(), nullable=True),
        _ts("started_at"),
        sa.Column("completed", sa.Boolean(), server_default=sa.false(), nullable=False),
        _ts("completed_at", nullable=True),
        sa.Column("feeling_text", sa.Text(), nullable=True),
        sa.Column("rating", sa.Integer(), nullable=True),
        sa.Column("rating_attempts", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column("barriers", JSON, nullable=False),
        sa.Column("barrier_text", sa.Text(), nullable=True),
        sa.Column("follow_up_requested", sa.Boolean(), nullable=True),
        sa.Column("helpful", sa.Boolean(), nullable=True),
        sa.Column("helpful_text", sa.Text(), nullable=True),
        sa.Column("escalated", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("escalation_reasons", JSON, nullable=False),
        sa.Column("is_simulated", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.CheckConstraint(
            "rating IS NULL OR (rating >= 1 AND rating <= 10)", name=op.f("ck_checkins_rating")
        ),
        sa.ForeignKeyConstraint(
            ["conversation_id"],
            ["conversations.id"],
            name=op.f("fk_checkins_conversation_id_conversations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["student_id"],
            ["students.id"],
            name=op.f("fk_checkins_student_id_students"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_checkins")),
    )
    op.create_index("ix_checkins_conversation_id", "checkins", ["conversation_id"])
    op.create_index("ix_checkins_started_at", "checkins", ["started_at"])
    op.create_table(
        "escalations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("conversation_id", sa.String(128), nullable=False),
        sa.Column("checkin_id", sa.Integer(), nullable=True),
        sa.Column("reasons", JSON, nullable=False),
        sa.Column("priority", sa.String(8), nullable=False),
        sa.Column("status", sa.String(8), server_default="pending", nullable=False),
        _ts("created_at"),
        _ts("updated_at"),
        sa.Column("claimed_by", sa.String(200), nullable=True),
        _ts("claimed_at", nullable=True),
        _ts("first_response_at", nullable=True),
        _ts("resolved_at", nullable=True),
        sa.Column("outcome_note", sa.Text(), nullable=True),
        sa.CheckConstraint(
            "priority IN ('normal', 'high', 'urgent')", name=op.f("ck_escalations_priority")
        ),
        sa.CheckConstraint(
            "status IN ('pending', 'open', 'resolved')", name=op.f("ck_escalations_status")
        ),
        sa.ForeignKeyConstraint(
            ["conversation_id"],
            ["conversations.id"],
            name=op.f("fk_escalations_conversation_id_conversations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["checkin_id"],
            ["checkins.id"],
            name=op.f("fk_escalations_checkin_id_checkins"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_escalations")),
    )
    op.create_index("ix_escalations_conversation_id", "escalations", ["conversation_id"])
    op.create_index("ix_escalations_status", "escalations", ["status"])
    op.create_table(
        "community_resources",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("barrier_codes", JSON, nullable=False),
        sa.Column("texts", JSON, nullable=False),
        sa.Column("phone", sa.String(32), nullable=True),
        sa.Column("url", sa.String(500), nullable=True),
        sa.Column("school_id", sa.Integer(), nullable=True),
        sa.Column("active", sa.Boolean(), server_default=sa.true(), nullable=False),
        _ts("created_at"),
        sa.ForeignKeyConstraint(
            ["school_id"],
            ["schools.id"],
            name=op.f("fk_community_resources_school_id_schools"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_community_resources")),
    )
    op.create_index("ix_community_resources_school_id", "community_resources", ["school_id"])


def downgrade() -> None:
    for table in (
        "community_resources",
        "escalations",
        "checkins",
        "messages",
        "conversations",
        "contact_points",
        "family_students",
        "families",
        "students",
        "schools",
    ):
        op.drop_table(table)
