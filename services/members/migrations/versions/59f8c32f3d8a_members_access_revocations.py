"""members: access_revocations, the moments from which tokens are refused

Revision ID: 59f8c32f3d8a
Revises: e5f6a7b8c9d0
Create Date: 2026-12-03 09:00:00.000000

"""

from collections.abc import Sequence

from shared.migration_steps import add_access_revocations, drop_access_revocations

revision: str = "59f8c32f3d8a"
down_revision: str | Sequence[str] | None = "e5f6a7b8c9d0"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    add_access_revocations()


def downgrade() -> None:
    drop_access_revocations()
