"""notifications: webhook messages remember why their next attempt is due

Revision ID: a7c3e9d2f104
Revises: a4b5c6d7e8f9
Create Date: 2026-12-03 09:00:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "a7c3e9d2f104"
down_revision: str | Sequence[str] | None = "a4b5c6d7e8f9"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """`next_trigger` (scheduled, retry, replay, recovery, test) is copied onto each attempt.

    Messages already waiting get `scheduled`, or `retry` when they were attempted before.
    """
    with op.batch_alter_table("webhook_messages") as batch:
        batch.add_column(
            sa.Column(
                "next_trigger", sa.String(length=12), nullable=False, server_default="scheduled"
            )
        )
    messages = sa.table(
        "webhook_messages",
        sa.column("next_trigger", sa.String),
        sa.column("attempt_count", sa.Integer),
        sa.column("status", sa.String),
    )
    op.execute(
        messages.update()
        .where(messages.c.status == "pending", messages.c.attempt_count > 0)
        .values(next_trigger="retry")
    )


def downgrade() -> None:
    with op.batch_alter_table("webhook_messages") as batch:
        batch.drop_column("next_trigger")
