"""Schema steps that several services' Alembic histories take the same way (the event tables,
the projections of members' data), written once."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from shared.db import UTCDateTime


def add_outbox_deliveries() -> None:
    """Create `outbox_deliveries`; an event not yet published is owed to all its subscribers.

    Events published before this step are taken as delivered: the broker alone knew.
    """
    table = op.create_table(
        "outbox_deliveries",
        sa.Column("event_id", sa.String(length=36), nullable=False),
        sa.Column("subscriber", sa.String(length=40), nullable=False),
        sa.Column("occurred_at", UTCDateTime(), nullable=False),
        sa.Column("sends", sa.Integer(), server_default="0", nullable=False),
        sa.Column("sent_at", UTCDateTime(), nullable=True),
        sa.Column("broker_epoch", sa.String(length=36), nullable=True),
        sa.Column("resend_after", UTCDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("event_id", "subscriber", name=op.f("pk_outbox_deliveries")),
    )
    with op.batch_alter_table("outbox_deliveries") as batch:
        batch.create_index("ix_outbox_deliveries_occurred", ["occurred_at"], unique=False)
    _owe_unpublished(table)


def _owe_unpublished(deliveries: sa.Table) -> None:
    from shared.events import catalogue

    outbox = sa.table(
        "outbox",
        sa.column("id", sa.String),
        sa.column("type", sa.String),
        sa.column("version", sa.Integer),
        sa.column("occurred_at", UTCDateTime()),
        sa.column("published_at", UTCDateTime()),
    )
    connection = op.get_bind()
    rows = connection.execute(
        sa.select(outbox.c.id, outbox.c.type, outbox.c.version, outbox.c.occurred_at).where(
            outbox.c.published_at.is_(None)
        )
    ).all()
    owed = []
    for event_id, event_type, version, occurred_at in rows:
        try:
            subscribers = catalogue.get(event_type, version).subscribers
        except catalogue.InvalidEvent:
            continue
        owed += [
            {"event_id": event_id, "subscriber": s, "occurred_at": occurred_at, "sends": 0}
            for s in subscribers
        ]
    if owed:
        op.bulk_insert(deliveries, owed)


def drop_outbox_deliveries() -> None:
    with op.batch_alter_table("outbox_deliveries") as batch:
        batch.drop_index("ix_outbox_deliveries_occurred")
    op.drop_table("outbox_deliveries")


def add_membership_since() -> None:
    """`memberships.since`: when the membership began, as far as events have told; a row that
    exists already began at the latest with the event it reflects."""
    with op.batch_alter_table("memberships") as batch:
        batch.add_column(sa.Column("since", UTCDateTime(), nullable=True))
    op.execute("UPDATE memberships SET since = revision")
    with op.batch_alter_table("memberships") as batch:
        batch.alter_column("since", existing_type=UTCDateTime(), nullable=False)


def drop_membership_since() -> None:
    with op.batch_alter_table("memberships") as batch:
        batch.drop_column("since")


def add_access_revocations() -> None:
    """`access_revocations`: one "not before" per person, organisation or client
    (`shared.revocation`)."""
    op.create_table(
        "access_revocations",
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("subject", sa.String(length=64), nullable=False),
        sa.Column("not_before", UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("kind", "subject", name=op.f("pk_access_revocations")),
    )
    with op.batch_alter_table("access_revocations", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_access_revocations_not_before"), ["not_before"], unique=False
        )


def drop_access_revocations() -> None:
    with op.batch_alter_table("access_revocations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_access_revocations_not_before"))
    op.drop_table("access_revocations")
