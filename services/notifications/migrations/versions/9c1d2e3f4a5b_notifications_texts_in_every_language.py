"""notifications: each inbox item's texts in every language

Revision ID: 9c1d2e3f4a5b
Revises: 713b4c4b7649
Create Date: 2026-11-25 13:30:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "9c1d2e3f4a5b"
down_revision: str | Sequence[str] | None = "713b4c4b7649"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Items written before keep only the language they were written in (texts is null)."""
    with op.batch_alter_table("notifications") as batch:
        batch.add_column(sa.Column("texts", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("notifications") as batch:
        batch.drop_column("texts")
