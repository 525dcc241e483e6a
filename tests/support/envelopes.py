"""Event envelopes as members publishes them, for tests that feed a consumer by hand."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime


def members_envelope(event_type: str, data: dict, occurred_at: datetime | None = None) -> dict:
    """An envelope as members publishes it (version 1, no correlation id)."""
    return {
        "id": str(uuid.uuid4()),
        "type": event_type,
        "version": 1,
        "occurred_at": (occurred_at or datetime.now(UTC)).isoformat(),
        "source": "members",
        "correlation_id": None,
        "data": data,
    }
