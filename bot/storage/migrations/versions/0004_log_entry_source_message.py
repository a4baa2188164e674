"""Log entries name the Telegram message that carried them, unique: a log is stored once.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-06 13:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("log_entries", schema=None) as batch_op:
        batch_op.add_column(sa.Column("source_chat_id", sa.BigInteger(), nullable=True))
        batch_op.add_column(sa.Column("source_message_id", sa.BigInteger(), nullable=True))
        batch_op.create_index(
            "ux_log_entries_source", ["source_chat_id", "source_message_id"], unique=True
        )


def downgrade() -> None:
    with op.batch_alter_table("log_entries", schema=None) as batch_op:
        batch_op.drop_index("ux_log_entries_source")
        batch_op.drop_column("source_message_id")
        batch_op.drop_column("source_chat_id")
