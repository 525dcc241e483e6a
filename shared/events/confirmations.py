"""What travels back from consumers to publishers: confirmations, and the broker's epoch.

A consumer confirms an event to its publisher once the event's inbox row is committed, by
pushing `<subscriber> <event id>` onto the publisher's confirmation list in Redis; the
publisher's relay drains that list into its outbox deliveries. Losing a confirmation costs a
re-send (the consumer finds the event in its inbox and confirms again), never an event.

The broker epoch is a random id kept under one Redis key. Redis restarted empty or flushed has
lost it along with every message it held: a new epoch is drawn, and the relay re-sends at once
whatever was sent under another epoch and not confirmed.
"""

from __future__ import annotations

import atexit
import logging
import threading
import time
import uuid

import redis

from shared.config import env

log = logging.getLogger(__name__)

EPOCH_KEY = "platform:events:broker-epoch"
CONFIRMED_KEY = "platform:events:confirmed:{publisher}"
DRAIN_BATCH = 1000
# A process reuses the epoch it read this long: a stale one only causes a harmless re-send.
EPOCH_CACHE_SECONDS = 2.0
# Confirmations leave a consumer in batches this often: one round trip for many events, not one
# each (the publisher re-sends only after a minute, so a tenth of a second costs nothing).
FLUSH_SECONDS = 0.1

_clients: dict[str, redis.Redis] = {}
_epochs: dict[str, tuple[float, str]] = {}


def broker_url() -> str:
    return env.str("REDIS_URL", "redis://127.0.0.1:6379/0")


def client(url: str | None = None) -> redis.Redis:
    """A pooled client that fails fast, like the publisher's sends."""
    url = url or broker_url()
    found = _clients.get(url)
    if found is None:
        found = _clients[url] = redis.Redis.from_url(
            url, socket_connect_timeout=2, socket_timeout=5, retry_on_timeout=False
        )
    return found


def current_epoch(url: str | None = None, *, cached: bool = True) -> str:
    """The broker's epoch, drawn anew when Redis has none (it restarted empty or was flushed).

    Read before a send: a message is recorded under an epoch that was current before it left,
    so a flush after the send always changes the epoch the relay compares against.
    """
    url = url or broker_url()
    now = time.monotonic()
    if cached and url in _epochs and now - _epochs[url][0] < EPOCH_CACHE_SECONDS:
        return _epochs[url][1]
    redis_client = client(url)
    value = redis_client.get(EPOCH_KEY)
    if value is None:
        redis_client.set(EPOCH_KEY, str(uuid.uuid4()), nx=True)
        value = redis_client.get(EPOCH_KEY)
        log.warning("the broker holds no epoch: it started empty or was flushed; a new one begins")
    epoch = value.decode()
    _epochs[url] = (now, epoch)
    return epoch


class Outgoing:
    """Confirmations waiting for the next batch, pushed by a background thread of the process.

    Losing the batch (the process dies) only makes the publishers send those events again.
    """

    def __init__(self):
        self.lock = threading.Lock()
        self.waiting: list[tuple[str | None, str, str]] = []
        self.flusher: threading.Thread | None = None

    def add(self, url: str | None, publisher: str, item: str) -> None:
        with self.lock:
            self.waiting.append((url, publisher, item))
            if self.flusher is None or not self.flusher.is_alive():
                self.flusher = threading.Thread(target=self.run, name="confirmations", daemon=True)
                self.flusher.start()

    def run(self) -> None:
        while True:
            time.sleep(FLUSH_SECONDS)
            self.flush()

    def flush(self) -> None:
        with self.lock:
            batch, self.waiting = self.waiting, []
        by_url: dict[str | None, dict[str, list[str]]] = {}
        for url, publisher, item in batch:
            by_url.setdefault(url, {}).setdefault(publisher, []).append(item)
        for url, lists in by_url.items():
            try:
                with client(url).pipeline(transaction=False) as pipe:
                    for publisher, items in lists.items():
                        pipe.rpush(CONFIRMED_KEY.format(publisher=publisher), *items)
                    pipe.execute()
            except redis.RedisError as exc:
                log.warning("could not confirm %d event(s) (%s)", len(batch), exc)


_outgoing = Outgoing()
atexit.register(_outgoing.flush)


def confirm(publisher: str, subscriber: str, event_id: str, url: str | None = None) -> None:
    """Tell `publisher` that `subscriber` committed `event_id`, within a tenth of a second.
    Never raises: a lost confirmation is made good by the re-send it causes."""
    _outgoing.add(url, publisher, f"{subscriber} {event_id}")


def flush() -> None:
    """Send the waiting confirmations now."""
    _outgoing.flush()


def drain(publisher: str, url: str | None = None, batch: int = DRAIN_BATCH) -> list[tuple]:
    """Take up to `batch` confirmations addressed to `publisher`: (subscriber, event id) pairs."""
    raw = client(url).lpop(CONFIRMED_KEY.format(publisher=publisher), batch) or []
    pairs = []
    for item in raw:
        subscriber, _, event_id = item.decode().partition(" ")
        if subscriber and event_id:
            pairs.append((subscriber, event_id))
    return pairs
