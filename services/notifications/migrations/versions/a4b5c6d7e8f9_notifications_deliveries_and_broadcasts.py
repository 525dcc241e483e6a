"""notifications: outbox deliveries kept until confirmed; broadcasts kept for late recipients; when memberships began

Revision ID: a4b5c6d7e8f9
Revises: 9c1d2e3f4a5b
Create Date: 2026-12-03 09:30:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from shared.db import UTCDateTime
from shared.migration_steps import (
    add_membership_since,
    add_outbox_deliveries,
    drop_membership_since,
    drop_outbox_deliveries,
)

revision: str = "a4b5c6d7e8f9"
down_revision: str | Sequence[str] | None = "9c1d2e3f4a5b"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    add_outbox_deliveries()
    add_membership_since()
    op.create_table(
        "broadcasts",
        sa.Column("event_id", sa.String(length=40), nullable=False),
        sa.Column("type", sa.String(length=80), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("occurred_at", UTCDateTime(), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("event_id", name=op.f("pk_broadcasts")),
    )
    with op.batch_alter_table("broadcasts") as batch:
        batch.create_index("ix_broadcasts_occurred_at", ["occurred_at"], unique=False)


def downgrade() -> None:
    drop_membership_since()
    with op.batch_alter_table("broadcasts") as batch:
        batch.drop_index("ix_broadcasts_occurred_at")
    op.drop_table("broadcasts")
    drop_outbox_deliveries()
