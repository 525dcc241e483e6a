"""Secrets at rest and the sign-in sessions they open.

Stored secrets are SHA-256 digests; e-mailed link tokens are derived from the row and
SECRET_KEY (the broker never carries a secret); signing a person out revokes their refresh
token families. Accounts, invitations, clients and the token endpoint all build on this.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

from sqlalchemy import update

from shared.db import utcnow

from .. import settings
from ..models import RefreshToken


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def new_nonce() -> str:
    return secrets.token_urlsafe(24)


def derived_token(kind: str, row_id, nonce: str) -> str:
    """A link token rebuilt from the row and SECRET_KEY: the broker never carries secrets."""
    key = settings.get("SECRET_KEY").encode()
    mac = hmac.new(key, f"{kind}:{row_id}:{nonce}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(mac).decode().rstrip("=")


def revoke_family(session, family_id) -> None:
    session.execute(
        update(RefreshToken)
        .where(RefreshToken.family_id == family_id, RefreshToken.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    )


def revoke_user_tokens(session, user_id, keep_family=None) -> None:
    """Sign a person out everywhere (but the session `keep_family`, if given)."""
    stmt = update(RefreshToken).where(
        RefreshToken.user_id == user_id, RefreshToken.revoked_at.is_(None)
    )
    if keep_family is not None:
        stmt = stmt.where(RefreshToken.family_id != keep_family)
    session.execute(stmt.values(revoked_at=utcnow()))
