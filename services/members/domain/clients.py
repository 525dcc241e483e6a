"""Integrator API clients: OAuth2 client credentials an org admin issues with chosen scopes.

The secret is shown once, at creation; only its SHA-256 is kept.
"""

from __future__ import annotations

import secrets
import uuid

from sqlalchemy import select

from shared.auth import Caller
from shared.db import utcnow
from shared.errors import Forbidden, NotFound, ValidationFailed
from shared.pagination import keyset, page

from ..models import ApiClient, Organisation
from . import access, credentials, revocations, tokens


def _ensure_admin(session, caller: Caller, organisation_id) -> None:
    # Integrator clients never mint other clients, even with organisation:admin.
    refusal = "Only an admin of the organisation manages its API clients."
    if caller.kind != "user":
        raise Forbidden(refusal)
    access.ensure_admin_now(session, caller, organisation_id, refusal)


def create(session, caller: Caller, organisation_id: uuid.UUID, payload: dict):
    """The new client and its secret (returned once, never stored in clear)."""
    _ensure_admin(session, caller, organisation_id)
    if session.get(Organisation, organisation_id) is None:
        raise NotFound("No such organisation.")
    unknown = sorted(set(payload["scopes"]) - set(tokens.SCOPES))
    if unknown:
        raise ValidationFailed.field("scopes", f"Unknown scope(s): {', '.join(unknown)}.")
    secret = secrets.token_urlsafe(32)
    client = ApiClient(
        client_id="ssp_" + secrets.token_urlsafe(16),
        secret_hash=credentials.digest(secret),
        organisation_id=organisation_id,
        name=payload["name"].strip(),
        scopes=[s for s in tokens.SCOPES if s in payload["scopes"]],
        created_by=caller.user_id,
    )
    session.add(client)
    session.flush()
    return client, secret


def listing(session, caller: Caller, organisation_id, cursor: str | None, limit: int) -> dict:
    _ensure_admin(session, caller, organisation_id)
    stmt = select(ApiClient).where(ApiClient.organisation_id == organisation_id)
    rows = session.scalars(
        keyset(stmt, [ApiClient.created_at, ApiClient.id], cursor, limit, descending=True)
    ).all()
    return page(list(rows), limit, lambda row: (row.created_at, row.id))


def revoke(session, caller: Caller, organisation_id, client_uuid: uuid.UUID) -> None:
    """The client gets no new tokens, and those it holds fail everywhere within seconds."""
    _ensure_admin(session, caller, organisation_id)
    client = session.get(ApiClient, client_uuid)
    if client is None or client.organisation_id != organisation_id:
        raise NotFound("No such API client.")
    if client.revoked_at is None:
        client.revoked_at = utcnow()
        revocations.client(session, client.client_id, "client_revoked", now=client.revoked_at)
