"""notifications: meetings kept from announcements' events, for their reminders

Revision ID: b8d2f4a6c1e3
Revises: a77bcbb5b094
Create Date: 2026-12-03 13:30:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from shared.db import UTCDateTime

revision: str = "b8d2f4a6c1e3"
down_revision: str | Sequence[str] | None = "a77bcbb5b094"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "meetings",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("starts_at", UTCDateTime(), nullable=True),
        sa.Column("occurred_at", UTCDateTime(), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meetings")),
    )
    with op.batch_alter_table("meetings") as batch:
        batch.create_index("ix_meetings_starts_at", ["starts_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("meetings") as batch:
        batch.drop_index("ix_meetings_starts_at")
    op.drop_table("meetings")
