"""projects: outbox deliveries, kept until each subscriber confirms

Revision ID: e2f3a4b5c6d7
Revises: 2f4eed8e2029
Create Date: 2026-12-03 09:30:00

"""

from collections.abc import Sequence

from shared.migration_steps import add_outbox_deliveries, drop_outbox_deliveries

revision: str = "e2f3a4b5c6d7"
down_revision: str | Sequence[str] | None = "2f4eed8e2029"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    add_outbox_deliveries()


def downgrade() -> None:
    drop_outbox_deliveries()
