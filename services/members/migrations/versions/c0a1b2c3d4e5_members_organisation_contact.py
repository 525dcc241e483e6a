"""members: an organisation's optional contact person, shown on its public profile

Revision ID: c0a1b2c3d4e5
Revises: 59f8c32f3d8a
Create Date: 2026-12-03 16:00:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "c0a1b2c3d4e5"
down_revision: str | Sequence[str] | None = "59f8c32f3d8a"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("organisations") as batch:
        batch.add_column(sa.Column("contact_user_id", sa.Uuid(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("organisations") as batch:
        batch.drop_column("contact_user_id")
