"""projects: matchmaking_version, the counter that validates kept recommendations

Revision ID: f4a5b6c7d8e9
Revises: e32a245db567
Create Date: 2026-12-03 15:30:00.000000

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "f4a5b6c7d8e9"
down_revision: str | Sequence[str] | None = "e32a245db567"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """One row, present from the start: writes only ever update it."""
    table = op.create_table(
        "matchmaking_version",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("value", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_matchmaking_version")),
    )
    op.bulk_insert(table, [{"id": 1, "value": 0}])


def downgrade() -> None:
    op.drop_table("matchmaking_version")
