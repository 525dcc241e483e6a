"""projects: access_revocations, the moments from which tokens are refused

Revision ID: e32a245db567
Revises: e2f3a4b5c6d7
Create Date: 2026-12-03 09:00:00.000000

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import shared.db

# revision identifiers, used by Alembic.
revision: str = "e32a245db567"
down_revision: str | Sequence[str] | None = "e2f3a4b5c6d7"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """One "not before" per person, organisation or client (shared.revocation)."""
    op.create_table(
        "access_revocations",
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("subject", sa.String(length=64), nullable=False),
        sa.Column("not_before", shared.db.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("kind", "subject", name=op.f("pk_access_revocations")),
    )
    with op.batch_alter_table("access_revocations", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_access_revocations_not_before"), ["not_before"], unique=False
        )


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table("access_revocations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_access_revocations_not_before"))
    op.drop_table("access_revocations")
