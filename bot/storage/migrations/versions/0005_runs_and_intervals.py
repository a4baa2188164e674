"""Recorded runs (run files, intervals.icu) and the runner's intervals.icu key.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-06 16:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "runs",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("runner_id", sa.BigInteger(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sport", sa.String(length=8), nullable=False),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("matched", sa.String(length=16), nullable=False),
        sa.Column("distance_m", sa.Float(), nullable=True),
        sa.Column("moving_time_s", sa.Integer(), nullable=True),
        sa.Column("average_hr", sa.Integer(), nullable=True),
        sa.Column("external_id", sa.String(length=64), nullable=True),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["runner_id"], ["runners.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("runs", schema=None) as batch_op:
        batch_op.create_index("ix_runs_runner_day", ["runner_id", "day"], unique=False)
        batch_op.create_index("ux_runs_external", ["runner_id", "external_id"], unique=True)
    op.create_table(
        "intervals_links",
        sa.Column("runner_id", sa.BigInteger(), nullable=False),
        sa.Column("api_key", sa.String(length=128), nullable=False),
        sa.Column("connected_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("refused_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("polled_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("wait_until", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["runner_id"], ["runners.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("runner_id"),
    )


def downgrade() -> None:
    op.drop_table("intervals_links")
    with op.batch_alter_table("runs", schema=None) as batch_op:
        batch_op.drop_index("ux_runs_external")
        batch_op.drop_index("ix_runs_runner_day")
    op.drop_table("runs")
