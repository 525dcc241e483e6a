"""Webhook endpoints: managed by an organisation's admins or its integrator clients (who may is
the operations' declared rule, `shared.policy`)."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from shared.auth import Caller
from shared.db import utcnow
from shared.errors import Conflict, NotFound, ValidationFailed
from shared.events import catalogue
from shared.pagination import keyset, page

from .. import settings
from ..models import (
    WebhookAttempt,
    WebhookEndpoint,
    WebhookMessage,
    WebhookSecret,
)
from . import chat, signing
from .safety import UnsafeTarget, check_address, literal_address, target_host

TEST_EVENT = "webhook.test"


def offered_types() -> list[catalogue.EventType]:
    """The newest version of every type integrators may subscribe to."""
    names = sorted({e.name for e in catalogue.catalogue().values() if e.webhook})
    return [catalogue.latest(name) for name in names]


def check_url(url: str, flavour: str = "standard") -> str:
    """https (or http where local targets are allowed), a host, no credentials, and nothing
    delivery would refuse: the host is read exactly as delivery reads it (`target_host`)."""
    parts = urlsplit(url)
    allow_private = settings.get("WEBHOOKS_ALLOW_PRIVATE_TARGETS")
    schemes = ("https", "http") if allow_private else ("https",)
    try:
        host = target_host(url)
    except ValueError:
        host = ""
    if parts.scheme not in schemes or not host:
        raise ValidationFailed.field(
            "url", f"Use an absolute {' or '.join(schemes)} URL.", rule="webhook.url_refused"
        )
    if parts.username or parts.password:
        raise ValidationFailed.field(
            "url", "Credentials do not belong in the URL.", rule="webhook.url_refused"
        )
    literal = literal_address(host)
    if literal is not None:
        try:
            check_address(literal, allow_private)
        except UnsafeTarget as exc:
            raise ValidationFailed.field("url", str(exc), rule="webhook.url_refused") from exc
    elif not allow_private and (host == "localhost" or host.endswith(".localhost")):
        raise ValidationFailed.field(
            "url", "Local targets are refused.", rule="webhook.url_refused"
        )
    if not allow_private and not chat.host_allowed(flavour, url):
        raise ValidationFailed.field(
            "url", f"Use the {flavour} webhook address of your group.", rule="webhook.url_refused"
        )
    return url


def check_types(types: list[str] | None) -> list[str] | None:
    if types is None:
        return None
    offered = {e.name for e in offered_types()}
    unknown = sorted(set(types) - offered)
    if unknown:
        raise ValidationFailed.field(
            "event_types", f"Not offered to webhooks: {unknown}.", rule="webhook.event_type_unknown"
        )
    return sorted(set(types))


def _endpoint(session: Session, caller: Caller, organisation_id, endpoint_id) -> WebhookEndpoint:
    endpoint = session.get(WebhookEndpoint, endpoint_id)
    if endpoint is None or str(endpoint.organisation_id) != str(organisation_id):
        raise NotFound("No such webhook endpoint.")
    return endpoint


def create(session: Session, caller: Caller, organisation_id, payload: dict):
    """A new endpoint and its first secret, returned once."""
    endpoint = WebhookEndpoint(
        id=uuid.uuid4(),
        organisation_id=organisation_id,
        url=check_url(payload["url"], payload.get("flavour", "standard")),
        flavour=payload.get("flavour", "standard"),
        flavour_secret=payload.get("flavour_secret"),
        language=payload.get("language", "en"),
        description=payload.get("description") or "",
        event_types=check_types(payload.get("event_types")),
        enabled=payload.get("enabled", True),
        rate_limit=payload.get("rate_limit"),
        created_by=caller.subject,
    )
    session.add(endpoint)
    secret = signing.new_secret()
    session.add(WebhookSecret(endpoint_id=endpoint.id, secret=secret))
    session.flush()
    return endpoint, secret


def get(session: Session, caller: Caller, organisation_id, endpoint_id) -> WebhookEndpoint:
    return _endpoint(session, caller, organisation_id, endpoint_id)


def listing(session: Session, caller: Caller, organisation_id, cursor, limit) -> dict:
    columns = [WebhookEndpoint.created_at, WebhookEndpoint.id]
    stmt = select(WebhookEndpoint).where(WebhookEndpoint.organisation_id == organisation_id)
    rows = list(session.scalars(keyset(stmt, columns, cursor, limit, descending=True)))
    return page(rows, limit, lambda e: (e.created_at, e.id))


def update_endpoint(session: Session, caller: Caller, organisation_id, endpoint_id, payload):
    """Change what was given; re-enabling clears the failure clock."""
    endpoint = _endpoint(session, caller, organisation_id, endpoint_id)
    if "url" in payload:
        endpoint.url = check_url(payload["url"], endpoint.flavour)
    for name in ("flavour_secret", "language"):
        if name in payload:
            setattr(endpoint, name, payload[name])
    if "event_types" in payload:
        endpoint.event_types = check_types(payload["event_types"])
    for name in ("description", "rate_limit"):
        if name in payload:
            setattr(endpoint, name, payload[name])
    if "enabled" in payload and payload["enabled"] != endpoint.enabled:
        endpoint.enabled = payload["enabled"]
        endpoint.failing_since = None
        endpoint.disabled_reason = None if payload["enabled"] else "by_user"
    session.flush()
    return endpoint


def delete(session: Session, caller: Caller, organisation_id, endpoint_id) -> None:
    session.delete(_endpoint(session, caller, organisation_id, endpoint_id))


def rotate_secret(session: Session, caller: Caller, organisation_id, endpoint_id, now=None):
    """A new secret; the ones before it keep signing for the overlap (24 h by default)."""
    endpoint = _endpoint(session, caller, organisation_id, endpoint_id)
    now = now or utcnow()
    until = now + timedelta(seconds=settings.get("WEBHOOKS_SECRET_OVERLAP"))
    session.execute(
        update(WebhookSecret)
        .where(
            WebhookSecret.endpoint_id == endpoint.id,
            or_(WebhookSecret.expires_at.is_(None), WebhookSecret.expires_at > until),
        )
        .values(expires_at=until)
    )
    secret = signing.new_secret()
    session.add(WebhookSecret(endpoint_id=endpoint.id, secret=secret, created_at=now))
    session.flush()
    return secret


def active_secrets(session: Session, endpoint_id, now: datetime) -> list[str]:
    """Every unexpired secret, newest first."""
    stmt = (
        select(WebhookSecret.secret)
        .where(
            WebhookSecret.endpoint_id == endpoint_id,
            or_(WebhookSecret.expires_at.is_(None), WebhookSecret.expires_at > now),
        )
        .order_by(WebhookSecret.id.desc())
    )
    return list(session.scalars(stmt))


def active_secrets_of(session: Session, endpoint_ids, now: datetime) -> dict:
    """Every unexpired secret of each endpoint, newest first, in one query."""
    found: dict = {}
    stmt = (
        select(WebhookSecret.endpoint_id, WebhookSecret.secret)
        .where(
            WebhookSecret.endpoint_id.in_(list(endpoint_ids)),
            or_(WebhookSecret.expires_at.is_(None), WebhookSecret.expires_at > now),
        )
        .order_by(WebhookSecret.id.desc())
    )
    for endpoint_id, secret in session.execute(stmt):
        found.setdefault(endpoint_id, []).append(secret)
    return found


def messages(session, caller, organisation_id, endpoint_id, status, cursor, limit) -> dict:
    endpoint = _endpoint(session, caller, organisation_id, endpoint_id)
    stmt = select(WebhookMessage).where(WebhookMessage.endpoint_id == endpoint.id)
    if status:
        stmt = stmt.where(WebhookMessage.status == status)
    columns = [WebhookMessage.created_at, WebhookMessage.id]
    rows = list(session.scalars(keyset(stmt, columns, cursor, limit, descending=True)))
    return page(rows, limit, lambda m: (m.created_at, m.id))


def attempts(session, caller, organisation_id, endpoint_id, message_id, cursor, limit) -> dict:
    endpoint = _endpoint(session, caller, organisation_id, endpoint_id)
    stmt = select(WebhookAttempt).where(WebhookAttempt.endpoint_id == endpoint.id)
    if message_id:
        stmt = stmt.where(WebhookAttempt.message_id == message_id)
    rows = list(session.scalars(keyset(stmt, [WebhookAttempt.id], cursor, limit, True)))
    return page(rows, limit, lambda a: (a.id,))


def replay(session, caller, organisation_id, endpoint_id, message_id) -> WebhookMessage:
    """Send one message again, whatever became of it (same id, so receivers deduplicate)."""
    endpoint = _endpoint(session, caller, organisation_id, endpoint_id)
    message = session.get(WebhookMessage, message_id)
    if message is None or message.endpoint_id != endpoint.id:
        raise NotFound("No such message for this endpoint.")
    if not endpoint.enabled:
        raise Conflict(
            "Enable the endpoint before replaying its messages.", code="webhook.endpoint_disabled"
        )
    message.status = "pending"
    message.attempt_count = 0
    message.next_attempt_at = utcnow()
    message.next_trigger = "replay"
    session.flush()
    return message


def recover(session, caller, organisation_id, endpoint_id, since: datetime) -> int:
    """Schedule again every failed or held message of the endpoint created since `since`."""
    endpoint = _endpoint(session, caller, organisation_id, endpoint_id)
    if not endpoint.enabled:
        raise Conflict(
            "Enable the endpoint before recovering its messages.", code="webhook.endpoint_disabled"
        )
    result = session.execute(
        update(WebhookMessage)
        .where(
            WebhookMessage.endpoint_id == endpoint.id,
            WebhookMessage.status.in_(("failed", "held")),
            WebhookMessage.created_at >= since,
        )
        .values(
            status="pending", attempt_count=0, next_attempt_at=utcnow(), next_trigger="recovery"
        )
    )
    return result.rowcount


def send_test(session, caller, organisation_id, endpoint_id) -> WebhookMessage:
    """A `webhook.test` message to this endpoint only."""
    endpoint = _endpoint(session, caller, organisation_id, endpoint_id)
    if not endpoint.enabled:
        raise Conflict("The endpoint is disabled.")
    now = utcnow()
    message = WebhookMessage(
        id=signing.new_message_id(),
        endpoint_id=endpoint.id,
        event_id=str(uuid.uuid4()),
        type=TEST_EVENT,
        payload={
            "type": TEST_EVENT,
            "timestamp": now.isoformat(),
            "data": {"endpoint_id": str(endpoint.id), "message": "Hello from the platform."},
        },
        status="pending",
        next_attempt_at=now,
        next_trigger="test",
        created_at=now,
    )
    session.add(message)
    session.flush()
    return message
