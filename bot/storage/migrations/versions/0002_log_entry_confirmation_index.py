"""Index log entries by their confirmation message: a reply that corrects a log finds it fast.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-24 13:00:00
"""

from __future__ import annotations

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("log_entries", schema=None) as batch_op:
        batch_op.create_index(
            "ix_log_entries_confirmation", ["runner_id", "confirmation_message_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("log_entries", schema=None) as batch_op:
        batch_op.drop_index("ix_log_entries_confirmation")
