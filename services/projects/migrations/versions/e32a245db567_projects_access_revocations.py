"""projects: access_revocations, the moments from which tokens are refused

Revision ID: e32a245db567
Revises: e2f3a4b5c6d7
Create Date: 2026-12-03 09:00:00.000000

"""

from collections.abc import Sequence

from shared.migration_steps import add_access_revocations, drop_access_revocations

revision: str = "e32a245db567"
down_revision: str | Sequence[str] | None = "e2f3a4b5c6d7"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    add_access_revocations()


def downgrade() -> None:
    drop_access_revocations()
