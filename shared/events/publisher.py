"""Publishing the outbox: one Celery task per subscriber, sent by name onto its queue.

Two paths publish the same rows. The fast path runs right after the commit that recorded them;
when Redis is down it logs and gives up at once, so the write still succeeds. The slow path is
the `<service>.relay_outbox` beat task, which publishes whatever is still unpublished, oldest
first. A row published twice is harmless: consumers handle each event id once.
"""

from __future__ import annotations

import logging
import time
from datetime import timedelta

from celery import Celery
from sqlalchemy import select, update

from shared.celery import CORRELATION_HEADER
from shared.config import env
from shared.db import Database, utcnow
from shared.events import catalogue
from shared.events.outbox import as_json

log = logging.getLogger(__name__)

HANDLE_EVENT = "{service}.handle_event"
# The relay leaves fresh rows to the fast path that is probably publishing them right now.
RELAY_GRACE = timedelta(seconds=5)
RELAY_BATCH = 500
ENVELOPE_KEYS = ("id", "type", "version", "occurred_at", "source", "correlation_id", "data")

# After a failure the fast path stands aside this long, so writes during a broker outage do not
# each wait for a connection timeout; the relay publishes what they record.
BREAKER_SECONDS = 5.0

_producer: Celery | None = None
_broken_until = 0.0


def producer() -> Celery:
    """The process's publisher, on `REDIS_URL`; its connections are pooled and reused."""
    global _producer
    if _producer is None:
        _producer = make_producer(env.str("REDIS_URL", "redis://127.0.0.1:6379/0"))
    return _producer


def make_producer(broker_url: str) -> Celery:
    """A Celery app used only to send tasks by name: no import of any consumer's code.

    It fails rather than waits: no retry of a connection or of a send, so a broker that is down
    costs a write a refused connection (or the connect timeout), and the outbox relay publishes
    later. A pooled connection the broker has closed is replaced when taken from the pool.
    """
    app = Celery("publisher", broker=broker_url)
    app.conf.update(
        task_serializer="json",
        accept_content=["json"],
        broker_connection_timeout=2,
        broker_connection_retry=False,
        broker_transport_options={
            "socket_connect_timeout": 2,
            "socket_timeout": 5,
            "max_retries": 0,  # a pooled connection to a broker that is down fails at once
        },
    )
    return app


def send(envelopes: list[dict], app: Celery | None = None) -> list[str]:
    """Send each envelope to every subscriber's queue; the ids sent. Raises if the broker fails.

    One pooled connection (queues declared once per connection, not per send) and one Redis
    pipeline for the whole batch: a round trip per call, not a connection and one per message.
    """
    app = app or producer()
    sent = []
    with app.producer_pool.acquire(block=True) as channel_producer, channel_producer.batch():
        for envelope in envelopes:
            message = as_json(envelope)
            entry = catalogue.get(message["type"], message["version"])
            for service in entry.subscribers:
                app.send_task(
                    HANDLE_EVENT.format(service=service),
                    args=[message],
                    queue=service,
                    retry=False,
                    headers={CORRELATION_HEADER: message.get("correlation_id")},
                    # What monitoring shows of the task: which event, not a repr of its data
                    # (Celery's own repr of the whole envelope is a third of the send's time).
                    argsrepr=f"[{message['type']} v{message['version']} {message['id']}]",
                    producer=channel_producer,
                )
            sent.append(message["id"])
    return sent


def mark_published(db: Database, ids: list[str]) -> None:
    if not ids:
        return
    outbox = db.events.outbox
    with db.engine.begin() as connection:
        connection.execute(
            update(outbox)
            .where(outbox.c.id.in_(ids), outbox.c.published_at.is_(None))
            .values(published_at=utcnow())
        )


def mark_failed(db: Database, ids: list[str], error: str) -> None:
    outbox = db.events.outbox
    with db.engine.begin() as connection:
        connection.execute(
            update(outbox)
            .where(outbox.c.id.in_(ids), outbox.c.published_at.is_(None))
            .values(attempts=outbox.c.attempts + 1, last_error=error[:2000])
        )


def publish_committed(db: Database, envelopes: list[dict]) -> None:
    """The fast path, called after a commit: never raises, the relay retries what fails."""
    global _broken_until
    if time.monotonic() < _broken_until:
        return
    try:
        mark_published(db, send(envelopes))
    except Exception as exc:  # the write is committed; the outbox keeps the event
        _broken_until = time.monotonic() + BREAKER_SECONDS
        log.warning(
            "could not publish %d event(s) now (%s); the outbox relay will",
            len(envelopes),
            exc.__class__.__name__,
        )
        try:
            mark_failed(db, [e["id"] for e in envelopes], repr(exc))
        except Exception:
            log.exception("could not record the failed publication")


def relay(db: Database, batch: int = RELAY_BATCH, grace: timedelta = RELAY_GRACE) -> int:
    """The slow path: publish unpublished outbox rows, oldest first; how many were published."""
    outbox = db.events.outbox
    total = 0
    while True:
        with db.engine.connect() as connection:
            rows = (
                connection.execute(
                    select(outbox)
                    .where(
                        outbox.c.published_at.is_(None),
                        outbox.c.occurred_at < utcnow() - grace,
                    )
                    .order_by(outbox.c.occurred_at)
                    .limit(batch)
                )
                .mappings()
                .all()
            )
        if not rows:
            return total
        envelopes = [{key: row[key] for key in ENVELOPE_KEYS} for row in rows]
        mark_published(db, send(envelopes))
        total += len(envelopes)
        if len(rows) < batch:
            return total
