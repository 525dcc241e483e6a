"""Recording an event in the transaction of the write that causes it."""

from __future__ import annotations

import uuid

from sqlalchemy.orm import Session

from shared.context import get_correlation_id
from shared.db import utcnow

PENDING_KEY = "pending_events"


def emit(session: Session, event_type: str, data: dict, *, version: int = 1) -> dict:
    """Add an outbox row for `event_type` to the session's transaction; returns the envelope.

    Nothing leaves the process until the transaction commits; a rollback discards the event
    with the write.
    """
    db = session.info["db"]
    envelope = {
        "id": str(uuid.uuid4()),
        "type": event_type,
        "version": version,
        "occurred_at": utcnow(),
        "source": db.service,
        "correlation_id": get_correlation_id(),
        "data": data,
    }
    db.validate_event(envelope)
    session.execute(db.events.outbox.insert().values(**envelope, attempts=0))
    session.info.setdefault(PENDING_KEY, []).append(envelope)
    return envelope
