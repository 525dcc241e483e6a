"""Kombu's Redis transport, made to outlive the broker it was connected to.

When Redis goes away (restarted, emptied, failed over), Celery's consumer closes its broken
connection and reconnects. The old channel is then cut off from its connection's settings, yet
kombu still uses it: closing it hands its unacknowledged tasks back, and a task that finishes
afterwards is acknowledged on it. Both build a connection pool from settings that are gone,
fail with an AttributeError, and Celery treats that as unrecoverable: a worker that was handling
or holding a task when the broker went away exits instead of reconnecting.

Here such a channel fails as a lost connection does, which kombu and Celery handle (the hand-back
is skipped, the acknowledgement logged as impossible). Redis returns unacknowledged tasks once
their visibility timeout passes, and the publishers' outboxes send unconfirmed events again.
"""

from __future__ import annotations

from kombu.transport import redis
from redis import exceptions


class Channel(redis.Channel):
    def _connparams(self, asynchronous=False):
        if self.connection is None or self.connection.client is None:
            raise exceptions.ConnectionError("this channel's broker connection is closed")
        return super()._connparams(asynchronous=asynchronous)


class Transport(redis.Transport):
    Channel = Channel


def transport_for(broker_url: str) -> str | None:
    """This transport for a plain or TLS Redis URL; kombu's own choice for any other."""
    return f"{__name__}:Transport" if broker_url.startswith(("redis://", "rediss://")) else None
