"""Integration events: catalogue, outbox, publishing through Celery, idempotent consumers."""

from shared.events.outbox import emit
from shared.events.tables import EventTables, event_tables

__all__ = ["EventTables", "emit", "event_tables"]
