"""The event backbone as the end-to-end tests see it: each service's database read as that
service reads it, the workers' logs, and the tasks beat would send."""

from __future__ import annotations

import importlib
import re
import time

import sqlalchemy as sa

from shared.events import catalogue, publisher
from tests.support.waiting import wait_until
from tests.support.workers import Worker

CONSUMERS = ("projects", "announcements", "notifications")
PUBLISHERS = ("members", "projects", "announcements", "notifications")


def db_of(service: str):
    return importlib.import_module(f"services.{service}.models").db


def model(service: str, name: str):
    return getattr(importlib.import_module(f"services.{service}.models"), name)


def row(service: str, name: str, key):
    """A projection row read fresh from the service's database (None when absent)."""
    with db_of(service).transaction() as session:
        found = session.get(model(service, name), key, populate_existing=True)
        if found is not None:
            session.expunge(found)
        return found


def processed_ids(service: str) -> set[str]:
    table = db_of(service).events.processed_events
    with db_of(service).engine.connect() as connection:
        return set(connection.execute(sa.select(table.c.event_id)).scalars())


def dead_letters(service: str) -> list[dict]:
    table = db_of(service).events.dead_letters
    with db_of(service).engine.connect() as connection:
        return [dict(r) for r in connection.execute(sa.select(table)).mappings()]


def outcomes(worker: Worker, event_id: str) -> list[str]:
    """What the worker's log says it did with the event, in order (handled, duplicate, ...)."""
    return re.findall(rf"event {event_id} \([^)]*\) ([a-z-]+)", worker.log_text())


def wire(outbox_row: dict) -> dict:
    """An outbox row as the relay sends it."""
    return publisher.as_json({key: outbox_row[key] for key in publisher.ENVELOPE_KEYS})


def send(service: str, envelope: dict) -> None:
    publisher.producer().send_task(f"{service}.handle_event", args=[envelope], queue=service)


def relay_members_outbox() -> None:
    """What beat does every few seconds: the members worker publishes what is unpublished."""
    publisher.producer().send_task("members.relay_outbox", queue="members")


def relay_all() -> None:
    """What beat does every few seconds: each publisher's worker sends what is unconfirmed."""
    for service in PUBLISHERS:
        publisher.producer().send_task(f"{service}.relay_outbox", queue=service)


def wait_relaying(check, timeout: float = 90.0):
    """`wait_until(check)`, sending the relay tasks once a second as beat would meanwhile."""
    last = [0.0]

    def relayed_check():
        if time.monotonic() - last[0] >= 1.0:
            relay_all()
            last[0] = time.monotonic()
        return check()

    return wait_until(relayed_check, timeout=timeout)


def unconfirmed(service: str) -> int:
    """Deliveries of `service`'s outbox that a subscriber has not confirmed yet."""
    table = db_of(service).events.deliveries
    with db_of(service).engine.connect() as connection:
        return connection.execute(sa.select(sa.func.count()).select_from(table)).scalar()


def subscribers_of(outbox_row: dict) -> tuple[str, ...]:
    return catalogue.get(outbox_row["type"], outbox_row["version"]).subscribers
