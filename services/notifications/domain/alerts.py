"""Telling an organisation's admins that one of their webhook endpoints was disabled."""

from __future__ import annotations

import uuid

from sqlalchemy.orm import Session

from shared.db import utcnow

from . import inbox
from .recipients import admins_of


def endpoints_disabled(session: Session, endpoints) -> None:
    for endpoint in endpoints:
        data = {"url": endpoint.url, "reason": endpoint.disabled_reason, "endpoint_id": endpoint.id}
        admins = admins_of(endpoint.organisation_id, utcnow())
        inbox.write(session, "webhook.endpoint_disabled", data, str(uuid.uuid4()), admins)
