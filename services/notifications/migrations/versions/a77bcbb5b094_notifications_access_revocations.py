"""notifications: access_revocations, the moments from which tokens are refused

Revision ID: a77bcbb5b094
Revises: a7c3e9d2f104
Create Date: 2026-12-03 09:00:00.000000

"""

from collections.abc import Sequence

from shared.migration_steps import add_access_revocations, drop_access_revocations

revision: str = "a77bcbb5b094"
down_revision: str | Sequence[str] | None = "a7c3e9d2f104"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    add_access_revocations()


def downgrade() -> None:
    drop_access_revocations()
