"""The event tables every service keeps in its own database: outbox, deliveries, inbox, dead
letters."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import JSON, Column, Index, Integer, MetaData, String, Table, Text

from shared.db import UTCDateTime


@dataclass(frozen=True)
class EventTables:
    outbox: Table
    deliveries: Table
    processed_events: Table
    dead_letters: Table


def event_tables(metadata: MetaData) -> EventTables:
    """Declare the outbox, processed-events and dead-letter tables on a service's metadata."""
    outbox = Table(
        "outbox",
        metadata,
        Column("id", String(36), primary_key=True),
        Column("type", String(80), nullable=False),
        Column("version", Integer, nullable=False),
        Column("occurred_at", UTCDateTime(), nullable=False),
        Column("source", String(40), nullable=False),
        Column("correlation_id", String(128)),
        Column("data", JSON, nullable=False),
        Column("published_at", UTCDateTime()),
        Column("attempts", Integer, nullable=False, default=0, server_default="0"),
        Column("last_error", Text),
        Index("ix_outbox_unpublished", "published_at", "occurred_at"),
    )
    # One row per (event, subscriber) until that subscriber confirms it committed the event: the
    # record of what remains to deliver, whatever the broker lost (see publisher.py).
    deliveries = Table(
        "outbox_deliveries",
        metadata,
        Column("event_id", String(36), primary_key=True),
        Column("subscriber", String(40), primary_key=True),
        Column("occurred_at", UTCDateTime(), nullable=False),
        Column("sends", Integer, nullable=False, default=0, server_default="0"),
        Column("sent_at", UTCDateTime()),
        Column("broker_epoch", String(36)),
        Column("resend_after", UTCDateTime()),
        Index("ix_outbox_deliveries_occurred", "occurred_at"),
    )
    processed_events = Table(
        "processed_events",
        metadata,
        Column("event_id", String(36), primary_key=True),
        Column("type", String(80), nullable=False),
        Column("processed_at", UTCDateTime(), nullable=False),
    )
    dead_letters = Table(
        "dead_letters",
        metadata,
        Column("id", Integer, primary_key=True, autoincrement=True),
        Column("event_id", String(36)),
        Column("type", String(80)),
        Column("version", Integer),
        Column("envelope", JSON, nullable=False),
        Column("reason", Text, nullable=False),
        Column("received_at", UTCDateTime(), nullable=False),
    )
    return EventTables(outbox, deliveries, processed_events, dead_letters)
