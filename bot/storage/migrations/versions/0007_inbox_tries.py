"""How many times a stored webhook update was taken up: a second try knows it is one.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-06 19:40:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column(
        "update_inbox",
        sa.Column("tries", sa.Integer(), nullable=False, server_default=sa.text("0")),
    )


def downgrade() -> None:
    op.drop_column("update_inbox", "tries")
