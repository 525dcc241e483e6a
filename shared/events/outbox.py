"""Recording an event in the transaction of the write that causes it."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy.orm import Session

from shared.context import get_correlation_id
from shared.db import utcnow

PENDING_KEY = "pending_events"


def as_json(envelope: dict) -> dict:
    """The envelope as it travels: `occurred_at` as an ISO 8601 string, everything else as is."""
    occurred = envelope["occurred_at"]
    return {
        **envelope,
        "occurred_at": occurred.isoformat() if isinstance(occurred, datetime) else occurred,
    }


def emit(
    session: Session,
    event_type: str,
    data: dict,
    *,
    version: int | None = None,
    occurred_at: datetime | None = None,
) -> dict:
    """Add an outbox row for `event_type` to the session's transaction; returns the envelope.

    The catalogue checks the data first, so a malformed event fails the write that causes it.
    Nothing leaves the process until the transaction commits; a rollback discards the event with
    the write. One delivery row per subscriber records what that subscriber has yet to confirm.
    `occurred_at` defaults to now; a republished snapshot passes the time its state came about,
    so consumers that already have it change nothing.
    """
    from shared.events import catalogue

    db = session.info["db"]
    entry = catalogue.latest(event_type) if version is None else catalogue.get(event_type, version)
    version = entry.version
    envelope = {
        "id": str(uuid.uuid4()),
        "type": event_type,
        "version": version,
        "occurred_at": occurred_at or utcnow(),
        "source": db.service,
        "correlation_id": get_correlation_id(),
        "data": data,
    }
    catalogue.validate(as_json(envelope))
    session.execute(db.events.outbox.insert().values(**envelope, attempts=0))
    # What each subscriber has still to confirm; it stays until that subscriber has committed it.
    if entry.subscribers:
        session.execute(
            db.events.deliveries.insert(),
            [
                {
                    "event_id": envelope["id"],
                    "subscriber": s,
                    "occurred_at": envelope["occurred_at"],
                }
                for s in entry.subscribers
            ],
        )
    session.info.setdefault(PENDING_KEY, []).append(envelope)
    return envelope
