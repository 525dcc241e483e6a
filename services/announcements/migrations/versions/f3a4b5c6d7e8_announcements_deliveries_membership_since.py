"""announcements: outbox deliveries, kept until each subscriber confirms; when memberships began

Revision ID: f3a4b5c6d7e8
Revises: c057bbfd73b9
Create Date: 2026-12-03 09:30:00

"""

from collections.abc import Sequence

from shared.migration_steps import (
    add_membership_since,
    add_outbox_deliveries,
    drop_membership_since,
    drop_outbox_deliveries,
)

revision: str = "f3a4b5c6d7e8"
down_revision: str | Sequence[str] | None = "c057bbfd73b9"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    add_outbox_deliveries()
    add_membership_since()


def downgrade() -> None:
    drop_membership_since()
    drop_outbox_deliveries()
