"""Initial schema: runners, drafts, planned sessions, reminders and logged sets.

Revision ID: 0001
Revises:
Create Date: 2026-11-24 11:26:16.237628
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:

    op.create_table(
        "runners",
        sa.Column("id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("chat_id", sa.BigInteger(), nullable=False),
        sa.Column("first_name", sa.String(length=128), nullable=False),
        sa.Column("profile", sa.JSON(), nullable=True),
        sa.Column("block_start", sa.Date(), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("paused", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "drafts",
        sa.Column("runner_id", sa.BigInteger(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("step", sa.String(length=64), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["runner_id"], ["runners.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("runner_id", "kind"),
    )
    op.create_table(
        "planned_sessions",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("runner_id", sa.BigInteger(), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("name", sa.String(length=16), nullable=False),
        sa.Column("phase", sa.String(length=32), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("content", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["runner_id"], ["runners.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("planned_sessions", schema=None) as batch_op:
        batch_op.create_index(
            "ix_planned_sessions_runner_date", ["runner_id", "date"], unique=False
        )

    op.create_table(
        "log_entries",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("runner_id", sa.BigInteger(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=True),
        sa.Column("performed_on", sa.Date(), nullable=False),
        sa.Column("raw_text", sa.Text(), nullable=False),
        sa.Column("confirmation_message_id", sa.BigInteger(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("undone_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["runner_id"], ["runners.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["session_id"], ["planned_sessions.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("log_entries", schema=None) as batch_op:
        batch_op.create_index("ix_log_entries_runner", ["runner_id", "created_at"], unique=False)

    op.create_table(
        "reminders",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("runner_id", sa.BigInteger(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("dedupe_key", sa.String(length=96), nullable=False),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("claimed_by", sa.String(length=64), nullable=True),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("message_id", sa.BigInteger(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["runner_id"], ["runners.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["session_id"], ["planned_sessions.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("dedupe_key", name="uq_reminders_dedupe_key"),
    )
    with op.batch_alter_table("reminders", schema=None) as batch_op:
        batch_op.create_index("ix_reminders_runner", ["runner_id"], unique=False)
        batch_op.create_index("ix_reminders_status_due", ["status", "due_at"], unique=False)

    op.create_table(
        "logged_sets",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("entry_id", sa.Integer(), nullable=False),
        sa.Column("runner_id", sa.BigInteger(), nullable=False),
        sa.Column("exercise_id", sa.String(length=64), nullable=False),
        sa.Column("performed_on", sa.Date(), nullable=False),
        sa.Column("set_no", sa.Integer(), nullable=False),
        sa.Column("target_reps_min", sa.Integer(), nullable=True),
        sa.Column("target_reps_max", sa.Integer(), nullable=True),
        sa.Column("target_load_kg", sa.Float(), nullable=True),
        sa.Column("target_hold_s", sa.Integer(), nullable=True),
        sa.Column("reps", sa.Integer(), nullable=True),
        sa.Column("load_kg", sa.Float(), nullable=True),
        sa.Column("hold_s", sa.Integer(), nullable=True),
        sa.Column("rir", sa.Integer(), nullable=True),
        sa.Column("per_side", sa.Boolean(), nullable=False),
        sa.Column("bodyweight", sa.Boolean(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["entry_id"], ["log_entries.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["runner_id"], ["runners.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("logged_sets", schema=None) as batch_op:
        batch_op.create_index("ix_logged_sets_entry", ["entry_id"], unique=False)
        batch_op.create_index(
            "ix_logged_sets_runner_exercise",
            ["runner_id", "exercise_id", "performed_on"],
            unique=False,
        )


def downgrade() -> None:

    with op.batch_alter_table("logged_sets", schema=None) as batch_op:
        batch_op.drop_index("ix_logged_sets_runner_exercise")
        batch_op.drop_index("ix_logged_sets_entry")

    op.drop_table("logged_sets")
    with op.batch_alter_table("reminders", schema=None) as batch_op:
        batch_op.drop_index("ix_reminders_status_due")
        batch_op.drop_index("ix_reminders_runner")

    op.drop_table("reminders")
    with op.batch_alter_table("log_entries", schema=None) as batch_op:
        batch_op.drop_index("ix_log_entries_runner")

    op.drop_table("log_entries")
    with op.batch_alter_table("planned_sessions", schema=None) as batch_op:
        batch_op.drop_index("ix_planned_sessions_runner_date")

    op.drop_table("planned_sessions")
    op.drop_table("drafts")
    op.drop_table("runners")
