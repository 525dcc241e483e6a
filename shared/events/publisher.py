"""Publishing the outbox: one Celery task per subscriber, sent by name onto its queue.

Redis is a transport, not the record. Each event has one delivery row per subscriber, kept
until that subscriber confirms it committed the event (`confirmations.py`). Two paths send:
the fast path right after the commit that recorded the event (when Redis is down it logs and
gives up at once, so the write still succeeds), and the `<service>.relay_outbox` beat task,
which drains confirmations, then sends again, oldest first, every delivery that is
- not sent yet (the fast path failed, or the process died after the commit);
- sent under another broker epoch (Redis restarted empty or was flushed since: the message is
  gone, even one a worker had already taken);
- unconfirmed past its deadline (a lost message, a worker killed mid-task), with a deadline
  that doubles at each send, unless the subscriber's queue still holds messages (it is behind,
  not missing anything).
A message sent twice is harmless: consumers handle each event id once, and confirm again.
"""

from __future__ import annotations

import logging
import time
from datetime import timedelta

from celery import Celery
from sqlalchemy import and_, delete, or_, select, update

from shared.celery import CORRELATION_HEADER
from shared.config import env
from shared.db import Database, utcnow
from shared.events import catalogue, confirmations
from shared.events.outbox import as_json

log = logging.getLogger(__name__)

HANDLE_EVENT = "{service}.handle_event"
# The relay leaves fresh rows to the fast path that is probably publishing them right now.
RELAY_GRACE = timedelta(seconds=5)
RELAY_BATCH = 500
# An unconfirmed delivery is sent again after this long, doubled at each send up to the cap.
CONFIRM_DEADLINE = timedelta(seconds=60)
CONFIRM_DEADLINE_CAP = timedelta(minutes=15)
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


def send(
    envelopes: list[dict], app: Celery | None = None, only: dict[str, set[str]] | None = None
) -> list[str]:
    """Send each envelope to its subscribers' queues (those named in `only[id]` when given);
    the ids sent. Raises if the broker fails.

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
                if only is not None and service not in only.get(message["id"], ()):
                    continue
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


def deadline_after(sends: int) -> timedelta:
    """How long a delivery sent `sends` times waits for its confirmation before the next send."""
    first = timedelta(seconds=env.float("EVENTS_CONFIRM_DEADLINE", CONFIRM_DEADLINE.seconds))
    return min(first * 2 ** max(sends - 1, 0), CONFIRM_DEADLINE_CAP)


def mark_sent(db: Database, sent: dict[str, set[str] | None], sends: int, epoch: str) -> None:
    """Record a send of these deliveries (`None`: every subscriber of the event) under `epoch`.

    `sends` is how many times they have now been sent, which sets when they fall due again.
    """
    if not sent:
        return
    outbox, deliveries = db.events.outbox, db.events.deliveries
    now = utcnow()
    values = {
        "sends": deliveries.c.sends + 1,
        "sent_at": now,
        "broker_epoch": epoch,
        "resend_after": now + deadline_after(sends),
    }
    everyone = [event_id for event_id, who in sent.items() if who is None]
    by_subscriber: dict[str, list[str]] = {}
    for event_id, who in sent.items():
        for subscriber in who or ():
            by_subscriber.setdefault(subscriber, []).append(event_id)
    with db.engine.begin() as connection:
        connection.execute(
            update(outbox)
            .where(outbox.c.id.in_(list(sent)), outbox.c.published_at.is_(None))
            .values(published_at=now)
        )
        if everyone:
            connection.execute(
                update(deliveries).where(deliveries.c.event_id.in_(everyone)).values(**values)
            )
        for subscriber, ids in by_subscriber.items():
            connection.execute(
                update(deliveries)
                .where(deliveries.c.subscriber == subscriber, deliveries.c.event_id.in_(ids))
                .values(**values)
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
        epoch = confirmations.current_epoch()
        ids = send(envelopes)
        mark_sent(db, dict.fromkeys(ids), 1, epoch)
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


def apply_confirmations(db: Database) -> int:
    """Drain the confirmations sent to this service: each confirmed delivery is done."""
    deliveries = db.events.deliveries
    total = 0
    while True:
        pairs = confirmations.drain(db.service)
        if not pairs:
            return total
        by_subscriber: dict[str, list[str]] = {}
        for subscriber, event_id in pairs:
            by_subscriber.setdefault(subscriber, []).append(event_id)
        with db.engine.begin() as connection:
            for subscriber, ids in by_subscriber.items():
                connection.execute(
                    delete(deliveries).where(
                        deliveries.c.subscriber == subscriber, deliveries.c.event_id.in_(ids)
                    )
                )
        total += len(pairs)
        if len(pairs) < confirmations.DRAIN_BATCH:
            return total


def behind(subscribers: set[str]) -> set[str]:
    """The subscribers whose queue still holds messages: still working through what they have."""
    names = sorted(subscribers)
    with confirmations.client().pipeline(transaction=False) as pipe:
        for name in names:
            pipe.llen(name)
        lengths = pipe.execute()
    return {name for name, length in zip(names, lengths, strict=True) if length}


def due(db: Database, epoch: str, now, grace: timedelta, skip: set[str], batch: int) -> list:
    """Deliveries to send now, oldest first, with their envelopes."""
    outbox, deliveries = db.events.outbox, db.events.deliveries
    never_sent = and_(deliveries.c.sent_at.is_(None), deliveries.c.occurred_at < now - grace)
    lost_with_the_broker = and_(
        deliveries.c.sent_at.is_not(None), deliveries.c.broker_epoch != epoch
    )
    overdue = deliveries.c.resend_after <= now
    if skip:
        overdue = and_(overdue, deliveries.c.subscriber.not_in(sorted(skip)))
    query = (
        select(outbox, deliveries.c.subscriber, deliveries.c.sends)
        .join(outbox, outbox.c.id == deliveries.c.event_id)
        .where(or_(never_sent, lost_with_the_broker, overdue))
        .order_by(deliveries.c.occurred_at, deliveries.c.event_id)
        .limit(batch)
    )
    with db.engine.connect() as connection:
        return connection.execute(query).mappings().all()


def relay(db: Database, batch: int = RELAY_BATCH, grace: timedelta = RELAY_GRACE) -> int:
    """The slow path: confirmations first, then every delivery due, oldest first; how many sent.

    Raises when the broker does not answer: the next run starts again from the database.
    """
    apply_confirmations(db)
    epoch = confirmations.current_epoch(cached=False)
    subscribers = {s for entry in catalogue.published_by(db.service) for s in entry.subscribers}
    skip = behind(subscribers)
    total = 0
    while True:
        rows = due(db, epoch, utcnow(), grace, skip, batch)
        if not rows:
            return total
        envelopes: dict[str, dict] = {}
        only: dict[str, set[str]] = {}
        groups: dict[int, dict[str, set[str]]] = {}
        for row in rows:
            envelopes.setdefault(row["id"], {key: row[key] for key in ENVELOPE_KEYS})
            only.setdefault(row["id"], set()).add(row["subscriber"])
            groups.setdefault(row["sends"] + 1, {}).setdefault(row["id"], set()).add(
                row["subscriber"]
            )
        send(list(envelopes.values()), only=only)
        for sends, sent in groups.items():
            mark_sent(db, sent, sends, epoch)
        total += len(rows)
        if len(rows) < batch:
            return total
