"""members: outbox deliveries, kept until each subscriber confirms

Revision ID: d1e2f3a4b5c6
Revises: b3c4d5e6f7a8
Create Date: 2026-12-03 09:30:00

"""

from collections.abc import Sequence

from shared.migration_steps import add_outbox_deliveries, drop_outbox_deliveries

revision: str = "d1e2f3a4b5c6"
down_revision: str | Sequence[str] | None = "b3c4d5e6f7a8"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    add_outbox_deliveries()


def downgrade() -> None:
    drop_outbox_deliveries()
