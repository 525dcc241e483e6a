"""Publishing to a real Redis: every event on every subscriber's queue, and a broker that is down
fails the send at once (the write stays fast, the outbox relay publishes later), every time."""

from __future__ import annotations

import base64
import json
import socket
import threading
import uuid
from datetime import UTC, datetime

import pytest
import redis

from shared.celery import CORRELATION_HEADER
from shared.events import catalogue, publisher
from tests.support.servers import RedisServer


@pytest.fixture
def broker():
    server = RedisServer()
    server.start()
    yield server
    server.stop()


def envelope(event_type: str) -> dict:
    entry = catalogue.latest(event_type)
    return {
        "id": str(uuid.uuid4()),
        "type": event_type,
        "version": entry.version,
        "occurred_at": datetime.now(UTC),
        "source": entry.source,
        "correlation_id": f"req-{uuid.uuid4().hex[:8]}",
        "data": entry.example,
    }


def queued(broker: RedisServer, queue: str) -> list[tuple[dict, dict]]:
    """The (headers, envelope) of each task on `queue`, oldest first."""
    client = redis.Redis.from_url(broker.url)
    found = []
    for raw in reversed(client.lrange(queue, 0, -1)):
        message = json.loads(raw)
        args, _kwargs, _embed = json.loads(base64.b64decode(message["body"]))
        found.append((message["headers"], args[0]))
    return found


def test_one_send_puts_each_event_on_the_queue_of_each_of_its_subscribers(broker):
    updated, joined = envelope("organisation.updated"), envelope("member.joined")
    app = publisher.make_producer(broker.url)
    assert publisher.send([updated, joined], app) == [updated["id"], joined["id"]]
    assert publisher.send([], app) == []

    # Each service's queue holds, in order, the events the catalogue says it subscribes to.
    expected = {}
    for event in (updated, joined):
        for service in catalogue.get(event["type"], event["version"]).subscribers:
            expected.setdefault(service, []).append(publisher.as_json(event))
    assert set(expected) == {"projects", "announcements", "notifications"}
    for service, events in expected.items():
        tasks = queued(broker, service)
        assert [sent for _headers, sent in tasks] == events
        assert {headers["task"] for headers, _sent in tasks} == {f"{service}.handle_event"}
    headers, sent = queued(broker, "notifications")[1]
    assert sent["data"]["email"] == joined["data"]["email"]
    assert headers[CORRELATION_HEADER] == joined["correlation_id"]
    # Monitoring sees which event a task carries, not the personal data inside it.
    assert headers["argsrepr"] == f"[member.joined v1 {joined['id']}]"


class Refusing:
    """A listener on the broker's port that takes each connection and closes it at once: it
    counts how often a send tries, where a stopped port would only refuse."""

    def __init__(self, port: int):
        self.server = socket.create_server(("127.0.0.1", port), reuse_port=False)
        self.server.settimeout(0.1)
        self.accepted = 0
        self.running = True
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self):
        while self.running:
            try:
                connection, _ = self.server.accept()
            except TimeoutError:
                continue
            self.accepted += 1
            connection.close()

    def close(self):
        self.running = False
        self.thread.join(5)
        self.server.close()


def test_a_send_gives_up_at_once_while_the_broker_is_down_and_works_when_it_is_back(broker):
    app = publisher.make_producer(broker.url)
    publisher.send([envelope("organisation.updated")], app)
    broker.stop()
    refusing = Refusing(broker.port)
    try:
        for _ in range(3):  # each write during the outage, not only the first
            with pytest.raises(Exception):  # noqa: B017 - whichever error the client raises
                publisher.send([envelope("organisation.updated")], app)
    finally:
        refusing.close()
    # No retry loop inside a send (the write waiting on it): at most one try per send.
    assert 1 <= refusing.accepted <= 3, refusing.accepted
    broker.start()
    after = envelope("organisation.updated")
    assert publisher.send([after], app) == [after["id"]]
    assert queued(broker, "projects")[-1][1]["id"] == after["id"]
