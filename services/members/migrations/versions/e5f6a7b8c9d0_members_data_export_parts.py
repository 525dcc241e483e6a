"""members: the parts of a data export other services send

Revision ID: e5f6a7b8c9d0
Revises: d1e2f3a4b5c6
Create Date: 2026-12-03 09:40:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from shared.db import UTCDateTime

revision: str = "e5f6a7b8c9d0"
down_revision: str | Sequence[str] | None = "d1e2f3a4b5c6"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "data_export_parts",
        sa.Column("export_id", sa.Uuid(), nullable=False),
        sa.Column("service", sa.String(length=40), nullable=False),
        sa.Column("files", sa.JSON(), nullable=False),
        sa.Column("readme", sa.JSON(), nullable=False),
        sa.Column("received_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["export_id"],
            ["data_exports.id"],
            name=op.f("fk_data_export_parts_export_id_data_exports"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("export_id", "service", name=op.f("pk_data_export_parts")),
    )


def downgrade() -> None:
    op.drop_table("data_export_parts")
