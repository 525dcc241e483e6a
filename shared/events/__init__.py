"""Integration events: catalogue, outbox, publishing through Celery, idempotent consumers.

`shared.db` knows nothing of events; `install(db)` puts them onto a service's database: the
event tables on its metadata, and the publisher after each commit that recorded events.
"""

from __future__ import annotations

from sqlalchemy import event
from sqlalchemy.orm import Session

from shared.db import Database
from shared.events.outbox import PENDING_KEY, emit
from shared.events.tables import EventTables, event_tables

__all__ = ["EventTables", "emit", "event_tables", "install"]


def install(db: Database) -> Database:
    """Declare the service's event tables (outbox, processed events, dead letters...) and hand
    what each transaction recorded to the publisher once it commits (the fast path; each
    service's outbox relay is the slow one). Returns `db`."""
    from shared.events.publisher import publish_committed

    db.events = event_tables(db.metadata)

    def after_commit(session: Session) -> None:
        pending = session.info.pop(PENDING_KEY, None)
        if pending:
            publish_committed(db, pending)

    def after_rollback(session: Session, _previous_transaction) -> None:
        session.info.pop(PENDING_KEY, None)

    event.listen(db.sessions, "after_commit", after_commit)
    event.listen(db.sessions, "after_soft_rollback", after_rollback)
    return db
