"""Consuming events exactly once: the inbox, the dead letters and the service's event tasks.

Delivery is at least once (acks late, redelivery after a lost worker, the relay sending again
whatever is unconfirmed); handling is exactly once, because the event id goes into
`processed_events` in the transaction of the handler's effects. Once that is committed the
consumer confirms the event to its publisher, which then stops sending it. What cannot be
handled (an unknown type or version, data the catalogue refuses, a handler that keeps failing)
is kept in `dead_letters` with the reason, never dropped.
"""

from __future__ import annotations

import json
import logging
import random
from collections.abc import Callable, Mapping
from contextlib import AbstractContextManager

from celery import Celery
from sqlalchemy import Connection, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from shared.db import Database, utcnow
from shared.events import catalogue, confirmations, failpoints, on_conflict, publisher

log = logging.getLogger(__name__)

# A handler gets the event's transaction: the service's session, or its Core connection when it
# is marked `on_connection`.
Handler = Callable[[Session | Connection, dict, dict], None]
HANDLED, DUPLICATE, DEAD_LETTERED = "handled", "duplicate", "dead-lettered"
MAX_HANDLER_RETRIES = 8


def on_connection(handler: Handler) -> Handler:
    """Mark a handler that only executes SQL statements: the consumer gives it the Core
    connection of the event's transaction instead of an ORM session, whose own bookkeeping
    (begin, execute, commit, close) was about a quarter of a projection update's time."""
    handler.on_connection = True
    return handler


class Consumer:
    """Handles the envelopes sent to one service, each id once."""

    def __init__(self, db: Database, handlers: Mapping[str, Handler]):
        self.db = db
        self.service = db.service
        self.handlers = dict(handlers)

    def handle(self, envelope: dict) -> str:
        """Apply one envelope: HANDLED, DUPLICATE or DEAD_LETTERED. Handler errors propagate."""
        try:
            entry, data = catalogue.validate(envelope)
            if self.service not in entry.subscribers:
                raise catalogue.InvalidEvent(f"{self.service} does not subscribe to {entry.name}")
            handler = self.handlers.get(entry.name)
            if handler is None:
                raise catalogue.InvalidEvent(f"{self.service} has no handler for {entry.name}")
        except catalogue.InvalidEvent as exc:
            self.dead_letter(envelope, exc.reason)
            return DEAD_LETTERED
        processed = self.db.events.processed_events
        try:
            with self.transaction(handler) as session:
                failpoints.reach("before-inbox", envelope)
                # Recorded first, by one statement: a redelivery finds the id and changes nothing;
                # a concurrent one waits on this row (PostgreSQL) or the write lock (SQLite).
                record = {"event_id": envelope["id"], "type": entry.name, "processed_at": utcnow()}
                if not on_conflict.insert_new(session, processed, record):
                    return DUPLICATE
                failpoints.reach("after-inbox", envelope)
                handler(session, data, envelope)
                failpoints.reach("before-commit", envelope)
        except IntegrityError:
            # A handler's own conflict; if the event was processed meanwhile, its effects stand.
            if self.already_processed(envelope["id"]):
                return DUPLICATE
            raise
        return HANDLED

    def transaction(self, handler: Handler) -> AbstractContextManager[Session | Connection]:
        """The event's unit of work, committed on success and rolled back on any error: a Core
        connection for a handler marked `on_connection`, the service's session otherwise."""
        if getattr(handler, "on_connection", False):
            return self.db.engine.begin()
        return self.db.transaction()

    def already_processed(self, event_id: str) -> bool:
        processed = self.db.events.processed_events
        with self.db.engine.connect() as connection:
            query = select(processed.c.event_id).where(processed.c.event_id == event_id)
            return connection.execute(query).first() is not None

    def dead_letter(self, envelope, reason: str) -> None:
        """Keep an envelope that cannot be handled, with why; once per event id."""
        dead = self.db.events.dead_letters
        event_id = envelope.get("id") if isinstance(envelope, dict) else None
        log.error("dead-lettered event %s: %s", event_id, reason)
        with self.db.engine.begin() as connection:
            if (
                event_id is not None
                and connection.execute(
                    select(dead.c.id).where(dead.c.event_id == str(event_id))
                ).first()
            ):
                return
            connection.execute(
                insert(dead).values(
                    event_id=None if event_id is None else str(event_id)[:36],
                    type=str(envelope.get("type"))[:80] if isinstance(envelope, dict) else None,
                    version=_int_or_none(envelope.get("version"))
                    if isinstance(envelope, dict)
                    else None,
                    envelope=_json_safe(envelope),
                    reason=reason,
                    received_at=utcnow(),
                )
            )


def _json_safe(envelope) -> dict:
    """Whatever arrived, as JSON the dead-letter table can keep."""
    if not isinstance(envelope, dict):
        return {"raw": repr(envelope)}
    return json.loads(json.dumps(envelope, default=str))


def _int_or_none(value) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def register_event_tasks(
    celery_app: Celery, db: Database, handlers: Mapping[str, Handler]
) -> Consumer:
    """Register `<service>.handle_event` (the inbox) and `<service>.relay_outbox` (slow path)."""
    consumer = Consumer(db, handlers)
    service = db.service

    @celery_app.task(
        name=f"{service}.handle_event",
        bind=True,
        max_retries=MAX_HANDLER_RETRIES,
        time_limit=120,
        soft_time_limit=100,
    )
    def handle_event(self, envelope):
        """Handle one integration event once; retried with backoff, then dead-lettered.

        Whatever the outcome, once it is committed the publisher is told, so it stops sending.
        """
        try:
            outcome = consumer.handle(envelope)
            log.info("event %s (%s) %s", envelope.get("id"), envelope.get("type"), outcome)
        except Exception as exc:
            if self.request.retries < self.max_retries:
                delay = min(300, 2**self.request.retries) * random.uniform(0.8, 1.2)
                raise self.retry(exc=exc, countdown=delay) from exc
            consumer.dead_letter(envelope, f"the handler failed {self.max_retries + 1} times")
            log.exception("event %s dead-lettered after retries", envelope.get("id"))
            outcome = DEAD_LETTERED
        failpoints.reach("after-commit", envelope)
        confirm(envelope)
        return outcome

    def confirm(envelope) -> None:
        if isinstance(envelope, dict) and envelope.get("source") in catalogue.SERVICES:
            confirmations.confirm(envelope["source"], service, str(envelope.get("id")))

    @celery_app.task(name=f"{service}.relay_outbox", time_limit=300, soft_time_limit=280)
    def relay_outbox():
        """Send again what no subscriber has confirmed yet: what the fast path could not send,
        what the broker lost, what a dead worker took with it."""
        sent = publisher.relay(db)
        if sent:
            log.info("relayed %d unconfirmed deliveries from the outbox", sent)
        return sent

    celery_app.consumer = consumer
    return consumer
