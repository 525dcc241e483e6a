"""Turning one event into webhook messages: one row per endpoint that may and wants to see it."""

from __future__ import annotations

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from shared.db import utcnow
from shared.events.catalogue import EventType

from ..models import WebhookEndpoint, WebhookMessage
from . import signing
from .visibility import may_see, redacted


def webhook_messages(session: Session, entry: EventType, envelope: dict) -> int:
    """Write the messages of an event in one INSERT; disabled endpoints keep theirs held."""
    if not entry.webhook:
        return 0
    raw = envelope["data"]
    now = utcnow()
    rows = []
    for endpoint in session.scalars(select(WebhookEndpoint)):
        if endpoint.event_types is not None and entry.name not in endpoint.event_types:
            continue
        if not may_see(entry, raw, endpoint.organisation_id):
            continue
        rows.append(
            {
                "id": signing.new_message_id(),
                "endpoint_id": endpoint.id,
                "event_id": str(envelope["id"]),
                "type": entry.name,
                "payload": {
                    "type": entry.name,
                    "timestamp": _iso(envelope["occurred_at"]),
                    "data": redacted(raw, endpoint.organisation_id),
                },
                "status": "pending" if endpoint.enabled else "held",
                "attempt_count": 0,
                "next_attempt_at": now if endpoint.enabled else None,
                "created_at": now,
            }
        )
    if rows:
        session.execute(insert(WebhookMessage), rows)
    return len(rows)


def _iso(value) -> str:
    return value if isinstance(value, str) else value.isoformat()
